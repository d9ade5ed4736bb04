/** The six ways production drifts away from the eval suite. */
export const DRIFT_MODES = ['dataset', 'tool-api', 'prompt', 'retrieval-corpus', 'user-distribution', 'agent-step-compounding'] as const;

/** The layer of the agent a signal watches. */
export const LAYERS = ['tool', 'retrieval', 'judge', 'prompt', 'agent', 'input', 'dataset'] as const;
