/** Words the dashboard panels of several signals share. */

/** Said of every current-against-baseline panel: drift is a test and an effect, not a line. */
export const VS = 'Current window against its baseline; a verdict drifts when a significance test and a practical effect both say so, not at a fixed line (the Verdicts table says which do).';
