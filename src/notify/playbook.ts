/** What each drift mode usually means and what to check first, in driftwatch's own words. */
import type { DriftMode } from '../core/verdict.ts';

export interface Playbook {
  label: string;
  meaning: string;
  checkFirst: string[];
}

export const PLAYBOOK: Record<DriftMode, Playbook> = {
  'tool-api': {
    label: 'Tool-API drift',
    meaning:
      'A tool the agent calls now behaves differently from the week before: its vendor changed a schema, an error code or a rate limit, or a deploy of the tool itself regressed. Evals that mock or replay tool answers will not see it.',
    checkFirst: [
      'Open two example traces and compare the failing call with a passing one from the baseline: arguments, error type, status message.',
      "Check the tool vendor's changelog and status page, and your own deploys of the tool, around the start of the current window.",
      'If errors are rate limits or timeouts, compare call volume per trace: a prompt change can make the agent call the tool more often.',
      'Add one failing call as a regression case to the eval suite so CI sees the new contract.',
    ],
  },
  dataset: {
    label: 'Dataset drift',
    meaning: 'Users now bring intents the offline eval set never had, so the CI gate keeps passing on yesterday’s traffic.',
    checkFirst: [
      'Read the failure patterns and their example traces: each is a kind of input the eval set lacks.',
      'Promote them into the eval set (`driftwatch promote --alert FINGERPRINT --all`, or `--pattern NAME`) and give them expected outcomes.',
    ],
  },
  prompt: {
    label: 'Prompt drift',
    meaning: 'Live traffic runs on a prompt version the rubric was not written for; judge scores may grade an outdated contract.',
    checkFirst: ['Compare the live prompt version with the one the rubric names.', 'Re-validate the rubric on a sample of current traces.'],
  },
  'retrieval-corpus': {
    label: 'Retrieval-corpus drift',
    meaning: 'The same queries now retrieve different chunks: a re-index, a new chunker or a grown corpus.',
    checkFirst: ['Diff the top-k lists of the queries that moved most.', 'Check recent index builds and chunking changes.'],
  },
  'user-distribution': {
    label: 'User-distribution drift',
    meaning: 'Real inputs changed shape (length, language, multi-turn chains), or the judge stopped agreeing with humans on them.',
    checkFirst: ['Look at the feature that moved and sample inputs from it.', 'Re-label a small sample by hand to check the judge.'],
  },
  'agent-step-compounding': {
    label: 'Agent-step compounding drift',
    meaning: 'Per-step success looks fine but end-to-end success fell: more steps, loops, or one step type failing more often.',
    checkFirst: ['Compare steps per trace with the baseline.', 'Look for repeated calls of one tool inside a trace.'],
  },
};
