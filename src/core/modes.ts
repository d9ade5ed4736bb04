/** The six ways production drifts away from the eval suite. */
export const DRIFT_MODES = ['dataset', 'tool-api', 'prompt', 'retrieval-corpus', 'user-distribution', 'agent-step-compounding'] as const;

/** The order people read verdicts in: drift first, then what could not be judged, then ok. */
export const STATUS_ORDER = { drift: 0, error: 1, no_data: 2, ok: 3 } as const;

/** The layer of the agent a signal watches. */
export const LAYERS = ['tool', 'retrieval', 'judge', 'prompt', 'agent', 'input', 'dataset', 'eval'] as const;
