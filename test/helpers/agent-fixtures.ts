/**
 * Agent traces built from real trajectories: tau2-bench airline simulations (grok-3-mini, grok-3,
 * grok-4) and tau-bench's gpt-4o airline trajectories. One root AGENT span per trajectory (status
 * Error when the reward is 0), one LLM span per assistant turn, one TOOL span per tool call.
 */
import { readFileSync } from 'node:fs';

const REALDATA = new URL('../fixtures/realdata/', import.meta.url);

export interface Step {
  kind: 'llm' | 'tool';
  tool?: string;
  error: boolean;
}

export interface Trajectory {
  task: string;
  reward: number;
  steps: Step[];
}

interface Tau2Message {
  role: string;
  tool_calls?: { name: string }[] | null;
  error?: boolean;
}

export function readTau2(file: string): Trajectory[] {
  const data = JSON.parse(readFileSync(new URL(`tau2-airline-grok/${file}`, REALDATA), 'utf8')) as {
    simulations: { task_id: string; reward_info: { reward: number }; messages: Tau2Message[] }[];
  };
  return data.simulations.map((sim) => {
    const steps: Step[] = [];
    const pending: Step[] = [];
    for (const m of sim.messages) {
      if (m.role === 'assistant') {
        steps.push({ kind: 'llm', error: false });
        for (const call of m.tool_calls ?? []) {
          const step: Step = { kind: 'tool', tool: call.name, error: false };
          steps.push(step);
          pending.push(step);
        }
      } else if (m.role === 'tool') {
        const step = pending.shift();
        if (step) step.error = m.error === true;
      }
    }
    return { task: sim.task_id, reward: sim.reward_info.reward, steps };
  });
}

interface TauMessage {
  role: string;
  content?: string | null;
  tool_calls?: { function: { name: string } }[] | null;
}

export function readTauBench(): (Trajectory & { trial: number })[] {
  const data = JSON.parse(readFileSync(new URL('tau-bench-airline/gpt-4o-airline.json', REALDATA), 'utf8')) as { task_id: number; trial: number; reward: number; traj: TauMessage[] }[];
  return data.map((record) => {
    const steps: Step[] = [];
    const pending: Step[] = [];
    for (const m of record.traj) {
      if (m.role === 'assistant') {
        steps.push({ kind: 'llm', error: false });
        for (const call of m.tool_calls ?? []) {
          const step: Step = { kind: 'tool', tool: call.function.name, error: false };
          steps.push(step);
          pending.push(step);
        }
      } else if (m.role === 'tool') {
        const step = pending.shift();
        if (step) step.error = String(m.content ?? '').startsWith('Error:');
      }
    }
    return { task: String(record.task_id), trial: Number(record.trial), reward: Number(record.reward), steps };
  });
}

/** The spans of one trajectory as otel_traces rows, starting at `at`, one second per step. */
export function trajectoryRows(t: Trajectory, at: Date, traceId: string, agent = 'airline-agent'): Record<string, unknown>[] {
  const root = `${traceId}-root`;
  const row = (i: number, spanId: string, parent: string, name: string, attributes: Record<string, string>, error: boolean) => ({
    Timestamp: new Date(at.getTime() + i * 1000).toISOString(),
    TraceId: traceId,
    SpanId: spanId,
    ParentSpanId: parent,
    SpanName: name,
    SpanKind: 'Internal',
    ServiceName: 'airline',
    SpanAttributes: attributes,
    Duration: 900_000_000,
    StatusCode: error ? 'Error' : 'Ok',
    StatusMessage: error ? 'failed' : '',
  });
  return [
    row(0, root, '', 'agent.run', { 'openinference.span.kind': 'AGENT', 'agent.name': agent, 'input.value': `task ${t.task}` }, t.reward === 0),
    ...t.steps.map((s, i) =>
      row(
        i + 1,
        `${traceId}-${i}`,
        root,
        s.kind === 'tool' ? s.tool! : 'chat',
        s.kind === 'tool' ? { 'openinference.span.kind': 'TOOL', 'tool.name': s.tool! } : { 'openinference.span.kind': 'LLM' },
        s.error,
      ),
    ),
  ];
}

/** Trajectories replayed as traffic: `copies` passes over the list, spread evenly over [from, to). */
export function replay(trajectories: Trajectory[], from: Date, to: Date, copies: number, tag: string): Record<string, unknown>[] {
  const total = trajectories.length * copies;
  const span = to.getTime() - from.getTime() - 10 * 60_000;
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < total; i++) {
    const at = new Date(from.getTime() + Math.floor((i * span) / total));
    rows.push(...trajectoryRows(trajectories[i % trajectories.length]!, at, `${tag}-${i}`));
  }
  return rows;
}
