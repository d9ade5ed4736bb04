/**
 * `node --import tsx scripts/demo-data.ts`: derives the demo's small data files (src/demo/data/)
 * from the real-data slices under test/fixtures/realdata/, so `npm start` ships only what the demo
 * replays. Deterministic: the same fixtures give byte-identical files.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readLlmBar } from '../test/helpers/judge-fixtures.ts';
import { readTau2 } from '../test/helpers/agent-fixtures.ts';
import { readArenaHard, readBanking77 } from '../test/helpers/input-fixtures.ts';

const OUT = new URL('../src/demo/data/', import.meta.url);
const REALDATA = new URL('../test/fixtures/realdata/', import.meta.url);
mkdirSync(OUT, { recursive: true });
const write = (name: string, value: unknown) => writeFileSync(new URL(name, OUT), `${JSON.stringify(value)}\n`);

/** Every k-th element, so a slice keeps the spread of the whole (lengths, languages). */
const everyKth = <T>(items: T[], n: number): T[] => items.filter((_, i) => i % Math.max(1, Math.floor(items.length / n)) === 0).slice(0, n);

// Airline customers' first requests (tau-bench's simulated users, gpt-4o airline runs).
const tau = JSON.parse(readFileSync(new URL('tau-bench-airline/gpt-4o-airline.json', REALDATA), 'utf8')) as { traj: { role: string; content?: string | null }[] }[];
write('airline-requests.json', [...new Set(tau.map((r) => String(r.traj.find((m) => m.role === 'user')?.content ?? '').trim()).filter((t) => t !== ''))]);

// LLMBar adversarial-neighbor: the human gold label and the judge's verdict, GPT-4 then ChatGPT.
const pairs = (file: string) => readLlmBar(file).map((p) => [p.human, p.judge]);
write('judge-verdicts.json', { before: pairs('adversarial-neighbor.GPT-4.vanilla.result.json'), after: pairs('adversarial-neighbor.ChatGPT.vanilla.result.json') });

// tau2-bench airline: grok-4's trajectories, then grok-3-mini's; each step [tool or null for an LLM turn, failed].
const trajectories = (file: string) => {
  return readTau2(file).map((t) => ({
    task: t.task,
    success: t.reward > 0,
    steps: t.steps.map((s) => [s.kind === 'tool' ? s.tool! : null, s.error]),
  }));
};
write('trajectories.json', { before: trajectories('airline_grok-4_20251013T114345.json'), after: trajectories('airline_grok-3-mini_20251013T113336.json') });

// Arena-Hard prompts: 2024's, then 2025's (longer, more languages).
write('user-prompts.json', { before: everyKth(readArenaHard('v0.1'), 250), after: everyKth(readArenaHard('v2.0'), 250) });

// Banking77: the eval set covers the first 60 intents (alphabetically); production asks the test split.
const test = readBanking77('test');
const intents = [...new Set(test.map((q) => q.intent))].sort();
const covered = new Set(intents.slice(0, 60));
// 20 training questions per covered intent are the eval set.
const seen = new Map<string, number>();
const train = readBanking77('train').filter((q) => covered.has(q.intent) && (seen.set(q.intent, (seen.get(q.intent) ?? 0) + 1).get(q.intent) ?? 0) <= 20);
write('banking.json', {
  covered: test.filter((q) => covered.has(q.intent)).map((q) => [q.text, q.intent]),
  uncovered: test.filter((q) => !covered.has(q.intent)).map((q) => [q.text, q.intent]),
  evalSet: train.map((q) => [q.text, q.intent]),
});
