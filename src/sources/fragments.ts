/** SQL fragments every trace source uses the same way, so sources agree on what a class or a query is. */
import type { QueryNormalization } from './source.ts';
import type { TraceConventions } from '../config/shape.ts';

/**
 * A status message with ids and numbers masked, so that "timeout after 3012 ms for req 8f3a…"
 * and "timeout after 2990 ms for req 11bc…" are one error class. The regexes arrive as query
 * parameters (MASK_PARAMS).
 */
export function maskedMessage(expr: string): string {
  return `replaceRegexpAll(replaceRegexpAll(replaceRegexpAll(${expr}, {maskUuid:String}, '<id>'), {maskToken:String}, '<id>'), {maskNumber:String}, '<n>')`;
}

/**
 * The trace conventions as query parameters, bound by each source to every query it answers:
 * {humanServices}, {intentKey}, {promptVersionKeys}, {promptNameKeys}, {documentIdKeys},
 * {environmentKeys}, {offlineEnvironments} and {lateMs} (how long after its root a trace's spans
 * are read with it).
 */
export const conventionParams = (c: TraceConventions) => ({
  humanServices: c.humanServices,
  intentKey: c.intentKey,
  promptVersionKeys: c.promptVersionKeys,
  promptNameKeys: c.promptNameKeys,
  documentIdKeys: c.documentIdKeys,
  lateMs: c.maxTraceDuration,
  environmentKeys: c.environmentKeys,
  offlineEnvironments: c.offlineEnvironments,
});

/**
 * The `environment` a judgements relation gives a trace of a Langfuse dataset run (an eval run
 * linked to a dataset, whatever environment it was sent from), followed by the run's name.
 */
export const DATASET_RUN_ENVIRONMENT = 'langfuse-dataset-run:';

/**
 * Whether a row of the judgements relation belongs to an eval run rather than production: its
 * trace ran in one of {offlineEnvironments}, or in a Langfuse dataset run.
 */
export const OFFLINE_JUDGEMENT = `(environment IN {offlineEnvironments:Array(String)} OR startsWith(environment, '${DATASET_RUN_ENVIRONMENT}'))`;

/** RE2 patterns for maskedMessage: UUIDs, then tokens mixing letters and digits, then numbers. */
export const MASK_PARAMS = {
  maskUuid: '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}',
  maskToken: '[A-Za-z0-9_-]*(?:[A-Za-z][0-9]|[0-9][A-Za-z])[A-Za-z0-9_-]*',
  maskNumber: '[0-9]+(\\.[0-9]+)?',
};

/** The hash of a query text normalized as configured; 0 when there is no text. */
export function normalizedQueryHash(textExpr: string, n: QueryNormalization): string {
  let text = textExpr;
  if (n.foldWhitespace) text = `trimBoth(replaceRegexpAll(${text}, '\\\\s+', ' '))`;
  if (n.lowercase) text = `lowerUTF8(${text})`;
  return `if(${text} = '', toUInt64(0), cityHash64(${text}))`;
}

/** The name of the bucket every subject beyond `maxSubjects` is folded into. */
export const OVERFLOW_SUBJECT = 'other';

/**
 * A name from traces (tool, retriever, service, agent, prompt, version) as a subject: at most 80
 * characters, and never equal to another name's. A longer name keeps its first 71 characters and
 * an 8-digit hash of the whole, so two names sharing a prefix stay two subjects; a name that
 * reads like the overflow bucket (`other`, `"other"`, …) gains one pair of quotes, so the real
 * tool called `other` is never merged with the overflow.
 */
export function subjectName(expr: string): string {
  return `multiIf(match(${expr}, '^"*${OVERFLOW_SUBJECT}"*$'), concat('"', ${expr}, '"'),
    lengthUTF8(${expr}) > 80, concat(leftUTF8(${expr}, 71), '…', substring(lower(hex(cityHash64(${expr}))), 1, 8)),
    ${expr})`;
}
