/**
 * The file sink: one JSON line per alert event, for teams without Linear and for the demo.
 * Exactly once across crashes: every line carries the event id, and an id already in the file
 * is not written again (a process killed after appending but before saving its outbox retries
 * the event on restart and finds it there).
 */
import { createReadStream } from 'node:fs';
import { appendFile, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { NotifyError, type Notifier } from '../types.ts';

export function fileNotifier(path: string): Notifier {
  // Ids already in the file, read once per process; then kept up to date by our own appends.
  let written: Promise<{ ids: Set<string>; endsWithNewline: boolean }> | undefined;
  // Read line by line: the file grows for as long as alerts happen, and only ids are kept.
  const load = async () => {
    const ids = new Set<string>();
    let endsWithNewline = true;
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    try {
      handle = await open(path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ids, endsWithNewline };
      throw err;
    }
    try {
      const { size } = await handle.stat();
      if (size > 0) {
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        endsWithNewline = last[0] === 0x0a;
      }
    } finally {
      await handle.close();
    }
    const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of lines) {
      try {
        const id = (JSON.parse(line) as { id?: unknown }).id;
        if (typeof id === 'string') ids.add(id);
      } catch {
        // A line cut short by a crash, or not ours: it names no event.
      }
    }
    return { ids, endsWithNewline };
  };
  return {
    name: 'file',
    async deliver(event, content) {
      const line = JSON.stringify({
        id: event.id,
        kind: event.kind,
        at: event.at,
        fingerprint: event.fingerprint,
        title: content.title,
        driftMode: event.result.driftMode,
        signal: event.result.signal,
        subject: event.result.subject,
        status: event.result.status,
        value: event.result.value,
        baseline: event.result.baseline,
        pValue: event.result.pValue,
        traceIds: event.result.evidence.traceIds,
        message: event.result.message,
        // The same text a Linear issue or its comment carries: impact, onset, patterns, what to do.
        markdown: event.kind === 'opened' ? content.description : content.comment,
        links: content.links,
      });
      try {
        written ??= load();
        const seen = await written.catch((err) => {
          written = undefined;
          throw err;
        });
        if (seen.ids.has(event.id)) return 'already';
        await mkdir(dirname(path), { recursive: true });
        // A line cut short by a crash is closed first, so this one stays parseable.
        await appendFile(path, `${seen.endsWithNewline ? '' : '\n'}${line}\n`);
        seen.ids.add(event.id);
        seen.endsWithNewline = true;
      } catch (err) {
        throw new NotifyError('file', `cannot append to ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, true);
      }
      return undefined;
    },
  };
}
