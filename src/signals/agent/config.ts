/** Config fragment of the agent-step compounding signal. */
import { z } from 'zod';
import type { SignalSection } from '../../config/shape.ts';

export const agentConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Run the agent-step compounding signal.'),
    minSamples: z.number().int().min(1).default(50).describe('Traces per agent in each window before it can drift. Default 50.'),
    minEvents: z.number().int().min(1).default(5).describe('Failed traces needed in the current window. Default 5.'),
    alpha: z.number().min(0).max(1).default(0.001).describe('Significance of the end-to-end failure-rate increase, after BH. Default 0.001.'),
    minAbsoluteDrop: z.number().min(0).max(1).default(0.05).describe('Practical effect: end-to-end success must fall by at least this much. Default 0.05.'),
    minRelativeIncrease: z.number().min(1).default(1.25).describe('Practical effect: current failure rate / baseline failure rate. Default 1.25.'),
    stepKinds: z.array(z.string().min(1)).default(['tool', 'llm', 'retriever', 'reranker', 'embedding', 'vector_db', 'guardrail']).describe('Span kinds (lower-case) that count as steps of a trace.'),
    loopMinCalls: z.number().int().min(2).default(3).describe('A trace loops when it calls one tool at least this often. Default 3.'),
    outcomeEvaluation: z.string().min(1).optional().describe('Name of an outcome evaluation (e.g. task_completion) that decides end-to-end success instead of the root span status.'),
    maxSubjects: z.number().int().min(1).max(100).default(20).describe('Agents tracked by name, busiest first; the rest are `other`. Default 20.'),
  })
  .prefault({})
  .describe('Agent-step compounding: end-to-end success fell while no single tool explains it (more steps, loops, a step type failing more).');

export type AgentConfig = z.output<typeof agentConfigSchema>;

/** `signals.agent` in the config file. */
export const agentSection: SignalSection<typeof agentConfigSchema> = {
  key: 'agent',
  schema: agentConfigSchema,
};

declare module '../../config/shape.ts' {
  interface SignalsConfig {
    agent: AgentConfig;
  }
  interface SignalsConfigInput {
    agent?: z.input<typeof agentConfigSchema>;
  }
}
