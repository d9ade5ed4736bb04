/** The file sink: one JSON line per alert event, for teams without Linear and for the demo. */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { NotifyError, type Notifier } from '../types.ts';

export function fileNotifier(path: string): Notifier {
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
      });
      try {
        await mkdir(dirname(path), { recursive: true });
        await appendFile(path, `${line}\n`);
      } catch (err) {
        throw new NotifyError('file', `cannot append to ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, true);
      }
    },
  };
}
