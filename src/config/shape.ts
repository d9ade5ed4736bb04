/**
 * The shape of driftwatch's configuration: every section's fields, defaults and documentation,
 * except the signals' own sections, which each signal declares beside its code and the registry
 * composes in (src/config/schema.ts). Every object is strict (a misspelt key is an error) and
 * every field is described; the example config and config/schema.json are checked by tests.
 */
import { z } from 'zod';
import { validate as validCron } from 'node-cron';
import { cronProblem } from './cron.ts';
import { seasonalityProblem } from '../core/season.ts';
import { duration, optionalDuration, timerDuration } from './fields.ts';
import { IDENTIFIER } from './identifier.ts';
import { DRIFT_MODES, LAYERS } from '../core/modes.ts';
import { patternsConfigSchema } from './patterns.ts';

export { IDENTIFIER };

const identifier = (description: string) => z.string().regex(IDENTIFIER, 'must be a plain ClickHouse identifier (letters, digits, underscore)').describe(description);

const clickhouseSchema = z
  .strictObject({
    embedded: z.string().min(1).optional().describe('Directory of the embedded ClickHouse engine (chDB). The default store when `url` is not set: ./.driftwatch/chdb.'),
    url: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL of a ClickHouse server (e.g. https://clickhouse.internal:8443)' })
      .optional()
      .describe('URL of a ClickHouse server (http or https). When set, the embedded engine is not used.'),
    username: z.string().default('default').describe('User for the ClickHouse server.'),
    password: z.string().default('').describe('Password for the ClickHouse server. Use ${ENV_VAR}; it is redacted in logs.'),
    database: identifier('Database holding the trace table.').default('default'),
    queryTimeout: timerDuration('Per-query timeout.', '60s'),
    maxMemoryUsage: z.number().int().min(1).optional().describe('Per-query memory limit in bytes (ClickHouse max_memory_usage), sent with every query when set. Unset: the server’s own limit.'),
    allowUnsupportedVersion: z.boolean().default(false).describe('Run against a server older than 24.3 anyway (logged as a warning). For tests and emergencies only.'),
  })
  .refine((c) => !(c.embedded && c.url), { message: 'set either clickhouse.embedded or clickhouse.url, not both' })
  .describe('Where the traces are: the embedded engine (default) or a ClickHouse server.');

/** Metadata keys that may name a retrieved document, in order (LangChain, LlamaIndex and Haystack chunk keys, then source). */
export const DOCUMENT_ID_KEYS = ['id', 'doc_id', 'document_id', 'chunk_id', 'ref_doc_id', 'source+page', 'source+start_index', 'source+loc', 'source'] as const;

const metadataKeys = (description: string, fallback: string[]) =>
  z
    .array(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'must be a plain metadata key'))
    .min(1)
    .default(fallback)
    .describe(description);

/**
 * How the traces are written: where the facts driftwatch reads are kept when no standard
 * attribute holds them. The source binds these to every query it answers, so each signal reads
 * them the same way.
 */
const conventionsSchema = z
  .strictObject({
    humanServices: z
      .array(z.string().min(1))
      .default([])
      .describe('For conventions without annotator_kind (GenAI, traceAI): services whose evaluations are human labels. Every other evaluation is automated.'),
    intentKey: z.string().min(1).default('intent').describe('Field of the root span’s `metadata` JSON that holds the intent. Default intent.'),
    promptVersionKeys: metadataKeys(
      'Where no prompt-version attribute is recorded: keys of the span’s `metadata` JSON (or the Vercel AI SDK’s ai.telemetry.metadata.*) that hold the version, first present wins. Default [prompt_version].',
      ['prompt_version'],
    ),
    promptNameKeys: metadataKeys('The same for the prompt’s name; without one, a PROMPT span’s own name. Default [prompt_name].', ['prompt_name']),
    documentIdKeys: z
      .array(z.string().regex(/^[A-Za-z0-9_.-]+(\+[A-Za-z0-9_.-]+)*$/, 'must be a plain metadata key, or keys joined by + (source+page)'))
      .min(1)
      .default([...DOCUMENT_ID_KEYS])
      .describe(
        'Where spans keep no document id key: the keys of a document’s metadata (or of the output JSON’s documents) that name it, `+` joining keys that name it together (source+page). The first present on every retrieved document that tells as many documents apart as their contents do wins (a file path shared by its chunks does not); without one, a hash of the chunk content. Default: the chunk keys of LangChain, LlamaIndex and Haystack, then source.',
      ),
    maxTraceDuration: duration('Spans up to this long after their trace’s root are read with it (an agent’s later steps, an outcome evaluation written after the answer).', '1h'),
    environmentKeys: z
      .array(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'must be a plain attribute key'))
      .min(1)
      .default(['deployment.environment.name', 'deployment.environment'])
      .describe('Resource attributes that name the environment a trace ran in, first present wins (Langfuse: its environment column). Default [deployment.environment.name, deployment.environment].'),
    offlineEnvironments: z
      .array(z.string().min(1))
      .default(['ci', 'sdk-experiment'])
      .describe(
        'Environments whose traces are eval runs, not production: their scores are a CI run of their rubrics, held against production, never production’s own. Default [ci, sdk-experiment] (Langfuse names its experiments’ environment sdk-experiment).',
      ),
  })
  .prefault({})
  .describe('How the traces are written: where the facts driftwatch reads are kept when no standard attribute holds them.');

/** The trace conventions after validation (durations in ms). */
export type TraceConventions = z.output<typeof conventionsSchema>;
/** The conventions when a config names none. */
export const DEFAULT_CONVENTIONS: TraceConventions = conventionsSchema.parse({});

const rubricSchema = z
  .strictObject({
    name: z.string().min(1).describe('Rubric (evaluation / annotation) name, as on the spans.'),
    scale: z.enum(['auto', 'labels', 'ordinal']).default('auto').describe('labels: Cohen’s κ; ordinal: quadratic-weighted κ over integer scores; auto: ordinal when every value is an integer 1–10.'),
    promptVersion: z.string().min(1).optional().describe('The prompt version this rubric was written for.'),
    prompt: z.string().min(1).optional().describe('The prompt (template name) the rubric grades; all prompts when unset.'),
    higherIsBetter: z.boolean().default(true).describe('Whether a higher score is better (false for error counts, toxicity). Default true.'),
    passThreshold: z
      .number()
      .optional()
      .describe('Scores at or above this pass (below, with higherIsBetter: false): the rubric is then judged by its pass rate. Unset: labels that read pass/fail decide, else the scores themselves.'),
    margin: z
      .number()
      .min(0)
      .default(0.05)
      .describe('How much worse than its CI run production may score before the gap is drift, in the rubric’s own units (0.05 = 5 points on a 0–1 scale or of a pass rate). Default 0.05.'),
    driftMode: z
      .enum(DRIFT_MODES)
      .optional()
      .describe('The drift mode a drop of this rubric means when the evidence names none (e.g. grounding: retrieval-corpus). Unset: read from its name, else user-distribution.'),
  })
  .describe('A rubric: what it grades and which prompt contract it was written for.');

/** A rubric as the config declares it. */
export type Rubric = z.output<typeof rubricSchema>;

const otelTracesSchema = z
  .strictObject({
    schema: z.literal('otel').describe('`otel`: the OpenTelemetry Collector ClickHouse exporter’s table (OpenInference, GenAI, traceAI attributes).'),
    table: identifier('Trace table name.').default('otel_traces'),
    conventions: conventionsSchema,
  })
  .describe('Traces in the OpenTelemetry Collector exporter’s table.');

const PROJECTS_HINT =
  "the Langfuse project ids to watch, e.g. projects: [cm1a2b3c4d5e6f7g8h9i0j]. A project's id is in its Langfuse settings and in its URL (/project/<id>/…), or: SELECT project_id, count() FROM traces GROUP BY project_id in Langfuse's ClickHouse database";

const langfuseTracesSchema = z
  .strictObject({
    schema: z.literal('langfuse').describe('`langfuse`: Langfuse v3’s traces, observations and scores tables.'),
    projects: z
      .array(z.string().min(1), { error: (issue) => (issue.input === undefined ? `required with schema langfuse: ${PROJECTS_HINT}` : `a list of project ids: ${PROJECTS_HINT}`) })
      .min(1, `name at least one: ${PROJECTS_HINT}`)
      .describe('Langfuse project ids to watch; each project’s verdicts are kept apart.'),
    conventions: conventionsSchema,
    retrievalQueryKey: z.string().min(1).default('query').describe('Key of the query in a RETRIEVER observation’s input JSON (a plain string input is used as is). Default query.'),
  })
  .describe('Traces in Langfuse’s ClickHouse tables (clickhouse.database is Langfuse’s database).');

const tracesSchema = z
  .preprocess(
    (value) => (value === undefined ? { schema: 'otel' } : value && typeof value === 'object' && !('schema' in value) ? { schema: 'otel', ...value } : value),
    z.discriminatedUnion('schema', [otelTracesSchema, langfuseTracesSchema]),
  )
  .describe('Which tables hold the traces and how they are laid out. Default: otel, table otel_traces.');

const windowsSchema = z
  .strictObject({
    current: duration('Length of the current window.', '1h'),
    baseline: duration('Length of the baseline window, immediately before the current one.', '7d'),
    ingestLag: duration('How far the current window ends before the evaluation time, so late spans are not missed.', '2m'),
    stalledBelow: z
      .number()
      .min(0)
      .max(1)
      .default(0.1)
      .describe(
        'A current window with fewer spans than this share of the median of the same hours on the previous days is stalled: every signal reports no_data ("only N spans…"), nothing opens or resolves. An empty window is always stalled. 0 checks only for empty. Default 0.1.',
      ),
    seasonality: z
      .enum(['auto', 'daily', 'weekly', 'none'])
      .default('auto')
      .describe(
        'A drifting verdict must also stand out from the same hours of the day (daily) or week (weekly) in the baseline, measured against how much those hours differ from each other. auto: weekly when the baseline holds 2 weeks, daily when it holds 2 days. none: the whole baseline alone decides. Default auto.',
      ),
    minBaselineCoverage: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe(
        'Share of the baseline’s hours that must hold spans before a signal may judge: a baseline made of a few minutes of data (a cold start, a backtest from the first day) reports no_data instead of comparing against it. 0 turns the check off. Default 0.5.',
      ),
    fast: z
      .strictObject({
        enabled: z.boolean().default(true).describe('Test the short window beside the current one (with rollups; signals with windows of their own keep theirs). Default true.'),
        current: duration('Length of the short window, the newest part of the current one.', '15m'),
        alphaShare: z
          .number()
          .gt(0)
          .max(1)
          .default(0.1)
          .describe('The short window is tested at this share of each test’s alpha, so the two windows together spend at most (1 + alphaShare) × alpha of false alarms per test. Default 0.1.'),
      })
      .prefault({})
      .describe(
        'A fresh change fills a short window long before it stands out in the current hour: each tested verdict that does not drift on the current window is also tested on the newest `current` of it, at a stricter alpha, and drifts when that passes the same practical-effect, seasonal and cycle-wide checks.',
      ),
  })
  .describe('The two windows every signal compares.');

const rollupsSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        'Keep per-bucket statistics and merge them for every window, so a cycle reads only the spans that arrived since the last one. false: every cycle scans its whole windows of raw spans.',
      ),
    bucket: duration('Width of a rollup bucket; windows start and end on bucket boundaries. Must divide one hour.', '5m'),
    lateness: duration('How long after ingestLag a bucket stays open to late spans (rebuilt every cycle).', '10m'),
    recheck: duration('Closed buckets this recent are checked every cycle (row count and checksum of their spans) and rebuilt when spans arrived later than lateness.', '3h'),
    backfillChunk: duration('History is built in pieces of at most this much time; progress is logged after each and a restart resumes from the last one.', '1d'),
    database: identifier(
      'Keep rollups in this database of the ClickHouse server that holds the traces (the user needs CREATE DATABASE, CREATE TABLE, INSERT, SELECT, ALTER DELETE and DROP TABLE on it). Unset: in the embedded engine that holds the traces, or, with a server, in an embedded engine at `path`.',
    ).optional(),
    path: z.string().min(1).optional().describe('Directory of the embedded engine holding rollups when the traces are on a server and `database` is unset. Default: <alerting.stateDir>/rollups.'),
  })
  .prefault({})
  .describe('Incremental rollups: time-bucketed statistics every signal merges per window.');

/**
 * A signal's section of the config (`signals.<key>`): its schema, and the durations in it that must
 * be whole rollup buckets (the signal's own windows), with their paths inside the section.
 */
export interface SignalSection<S extends z.ZodType = z.ZodType> {
  readonly key: string;
  readonly schema: S;
  bucketAligned?(section: z.output<S>): [path: string[], ms: number][];
  /** The section with the file paths in it made absolute (`resolve` reads them relative to the config file). */
  resolvePaths?(section: z.output<S>, resolve: (path: string) => string): z.output<S>;
}

/**
 * Each signal's section after validation, keyed as in the file. A signal adds its own from its
 * config.ts (declaration merging), so this module needs no import of any signal.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by each signal's declaration merging; a type alias cannot be merged.
export interface SignalsConfig {}
/** Each signal's section as written (every key optional). */
// biome-ignore lint/suspicious/noEmptyInterface: as above.
export interface SignalsConfigInput {}

const hygieneOverride = z
  .strictObject({
    openAfter: z.number().int().min(1).optional().describe('Consecutive drifting cycles before an alert of this layer opens.'),
    resolveAfter: z.number().int().min(1).optional().describe('Consecutive clean cycles before it resolves.'),
    cooldown: optionalDuration('Minimum time between two notifications about it.'),
  })
  .describe('Alert hygiene for one signal (by its layer), overriding the defaults above.');

const isoTime = (description: string) =>
  z
    .string()
    .refine((t) => !Number.isNaN(Date.parse(t)) && /\d{4}-\d{2}-\d{2}T/.test(t), { message: 'must be an ISO-8601 time such as 2026-11-20T10:00:00Z' })
    .describe(description);

const muteSchema = z
  .strictObject({
    from: isoTime('Start of the mute window (ISO-8601).'),
    to: isoTime('End of the mute window (ISO-8601).'),
    reason: z.string().min(1).describe('Why (a known incident, a deploy); shown in logs and backtest output.'),
    driftModes: z.array(z.enum(DRIFT_MODES)).optional().describe('Only these drift modes; all when unset.'),
    subjects: z.record(z.string(), z.string()).optional().describe('Only subjects with these values (e.g. {tool: refund_payment}); all when unset.'),
  })
  .refine((m) => Date.parse(m.from) < Date.parse(m.to), { message: 'from must be before to' })
  .describe('A window in which matching drift opens no alert and sends nothing (still visible in the report and metrics).');

const alertingSchema = z
  .strictObject({
    openAfter: z.number().int().min(1).default(1).describe('Consecutive drifting cycles before an alert opens. Default 1.'),
    resolveAfter: z.number().int().min(1).default(3).describe('Consecutive clean cycles before an open alert resolves. Default 3.'),
    cooldown: duration('Minimum time between two notifications about the same open alert.', '6h'),
    byLayer: z
      .partialRecord(z.enum(LAYERS), hygieneOverride)
      .default({})
      .describe('Per-signal overrides of openAfter, resolveAfter and cooldown, keyed by layer (tool, retrieval, judge, prompt, agent, input, dataset, eval).'),
    mutes: z.array(muteSchema).default([]).describe('Mute windows: known incidents and deploys.'),
    stateDir: z.string().min(1).default('.driftwatch/state').describe('Directory for alert state and the undelivered-alert outbox. Default .driftwatch/state.'),
    exampleTraces: z.number().int().min(0).max(10).default(10).describe('Example trace ids carried with an alert (at most 10). Default 10.'),
  })
  .prefault({})
  .describe('When a drifting signal becomes an alert, and when it resolves.');

const linearSchema = z
  .strictObject({
    apiKey: z.string().min(1).describe('Linear API key. Use ${LINEAR_API_KEY}; it is redacted in logs.'),
    teamId: z
      .uuid({
        error: (issue) =>
          issue.input === undefined ? 'required: the UUID of the team issues are created in' : 'must be the team’s UUID (Linear: Settings → Teams → copy the team ID), not its key or name',
      })
      .describe('Team the issues are created in (its UUID).'),
    apiUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .default('https://api.linear.app/graphql')
      .describe('Linear GraphQL endpoint.'),
    labelIds: z
      .array(z.uuid({ error: 'must be a label UUID' }))
      .default([])
      .describe('Labels put on every issue (their UUIDs).'),
    priority: z.number().int().min(0).max(4).optional().describe('Issue priority: 0 none, 1 urgent, 2 high, 3 medium, 4 low.'),
    resolvedStateId: z.uuid({ error: 'must be a workflow state UUID' }).optional().describe('When set, a recovered alert moves its issue to this workflow state (e.g. Done; its UUID).'),
    attachmentUrlBase: z.url().default('https://driftwatch.invalid/alerts').describe('Base of the attachment URL that marks an issue as belonging to one alert fingerprint.'),
  })
  .describe('Linear issues. Without this section alerts go to the file sink.');

const slackSchema = z
  .strictObject({
    token: z.string().min(1).describe('Slack bot token. Use ${SLACK_BOT_TOKEN}; it is redacted in logs.'),
    channel: z.string().min(1).describe('Channel id or name to post in.'),
    apiUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .optional()
      .describe('Slack Web API base URL (tests only; defaults to Slack).'),
  })
  .describe('Optional second sink: one Slack message per alert, later events in its thread.');

const webhookSchema = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .describe('Where every alert event is POSTed as JSON (opened, still drifting, resolved). Redacted in logs, since such a URL often carries a key; use ${ENV_VAR}.'),
    secret: z
      .string()
      .min(16, { error: 'must be at least 16 characters (e.g. `openssl rand -hex 32`)' })
      .optional()
      .describe('Signs each request: X-Driftwatch-Signature is sha256= and the hex HMAC-SHA256 of "<X-Driftwatch-Timestamp>.<body>" under it. Use ${ENV_VAR}; it is redacted in logs.'),
    headers: z
      .record(z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name'), z.string())
      .default({})
      .describe('Extra request headers (an Authorization header for the receiver, say); their values are redacted in logs.'),
  })
  .describe('Optional: every alert event as a signed JSON POST, for incident tools (PagerDuty, Opsgenie, an in-house router).');

const notifySchema = z
  .strictObject({
    timeout: duration('Longest one sink may take to accept one alert event; a slower answer counts as failed and is retried from the outbox. At most 60s.', '10s').refine(
      (ms) => ms >= 1_000 && ms <= 60_000,
      {
        message: 'must be between 1s and 60s',
      },
    ),
    dashboardUrl: z.url().optional().describe('Link to your Grafana dashboard (dashboards/driftwatch.json), shown on the status page.'),
    traceLinkTemplate: z.string().optional().describe('Link for an example trace id, with {traceId} in it, e.g. https://grafana.example/explore?traceId={traceId}.'),
    fileSink: z
      .strictObject({ path: z.string().min(1).default('.driftwatch/alerts.jsonl').describe('JSON Lines file alerts are appended to.') })
      .prefault({})
      .describe('The file sink, used when Linear is not configured.'),
    linear: linearSchema.optional(),
    slack: slackSchema.optional(),
    webhook: webhookSchema.optional(),
  })
  .prefault({})
  .describe('Where alerts go.');

const serverSchema = z
  .strictObject({
    host: z
      .string()
      .min(1)
      .optional()
      .describe('Address the HTTP server listens on. Default: 127.0.0.1 outside a container (the status page shows trace text), 0.0.0.0 inside one (Docker, Podman, Kubernetes).'),
    token: z
      .string()
      .min(16, { error: 'must be at least 16 characters (e.g. `openssl rand -hex 24`); a short token can be guessed' })
      .optional()
      .describe(
        'When set, /, /report.json and /runbooks ask for it: as a bearer token or as the password of basic auth (any user name). /healthz and /readyz stay open. Use ${ENV_VAR}; it is redacted in logs.',
      ),
    externalUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL people reach this driftwatch at (e.g. https://driftwatch.internal)' })
      .optional()
      .describe(
        'The address people reach this driftwatch at (https://driftwatch.internal): alerts link its status page and runbooks there, and it is exported as driftwatch_external_url_info so Prometheus rules and the dashboard link there too. Unset: http://<host>:<port> as it listens (the machine name when it listens on every address).',
      ),
    protectMetrics: z.boolean().default(false).describe('Ask for server.token on /metrics too (give Prometheus `authorization: {credentials: …}` in its scrape config).'),
    port: z.number().int().min(0).max(65535).default(9464).describe('Port of /metrics, /healthz and /readyz. Default 9464.'),
    shutdownGrace: timerDuration(
      'On SIGTERM, how long a running cycle may still finish; then deliveries in flight are abandoned (kept in the outbox), state is saved and the process exits. Keep it below your orchestrator’s kill grace period.',
      '15s',
    ),
  })
  .superRefine((server, ctx) => {
    if (server.protectMetrics && !server.token) ctx.addIssue({ code: 'custom', path: ['protectMetrics'], message: 'needs server.token (the token /metrics would ask for)' });
  })
  .prefault({})
  .describe('The HTTP endpoints.');

/** Every section but the signals': one schema per key, in the order the file documents them. */
const SECTIONS = {
  clickhouse: clickhouseSchema.prefault({}),
  traces: tracesSchema,
  windows: windowsSchema.prefault({}),
  rollups: rollupsSchema,
  schedule: z
    .string()
    .default('*/5 * * * *')
    .superRefine((expr, ctx) => {
      const problem = cronProblem(expr) ?? (validCron(expr) ? null : 'is not a cron expression node-cron accepts');
      if (problem) ctx.addIssue({ code: 'custom', message: `${problem} (e.g. */5 * * * *)` });
    })
    .describe('Cron expression of the evaluation cycle (node-cron syntax). Default every 5 minutes.'),
  rubrics: z
    .array(rubricSchema)
    .default([])
    .describe('The rubrics your judges grade with: their scale and the prompt contract each was written for. Read by the judge–human agreement and prompt signals.'),
  patterns: patternsConfigSchema,
  alerting: alertingSchema,
  notify: notifySchema,
  server: serverSchema,
  log: z
    .strictObject({
      level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info').describe('Log level.'),
      format: z
        .enum(['auto', 'json', 'human'])
        .default('auto')
        .describe('auto: lines for people when stderr is a terminal, JSON lines (ISO times) otherwise. The command line’s --log-format overrides it.'),
    })
    .prefault({})
    .describe('Logging.'),
};

/**
 * The whole configuration file with the signals' sections. Every duration a window is made of must
 * be a whole number of rollup buckets, the global windows' and each signal's own.
 */
export function composeConfigSchema(sections: readonly SignalSection[]) {
  const signals = z
    .strictObject(Object.fromEntries(sections.map((s) => [s.key, s.schema])))
    .prefault({})
    .describe('Drift signals and their thresholds.');
  const { clickhouse, traces, windows, rollups, schedule, ...rest } = SECTIONS;
  return z
    .strictObject({ clickhouse, traces, windows, rollups, schedule, signals, ...rest })
    .superRefine((c, ctx) => {
      const bucket = c.rollups.bucket;
      if (3_600_000 % bucket !== 0) ctx.addIssue({ code: 'custom', path: ['rollups', 'bucket'], message: 'must divide one hour (e.g. 1m, 5m, 10m, 15m, 30m, 1h)' });
      const aligned: [string[], number][] = [
        [['windows', 'current'], c.windows.current],
        [['windows', 'baseline'], c.windows.baseline],
        [['windows', 'fast', 'current'], c.windows.fast.current],
        ...sections.flatMap((s) => (s.bucketAligned?.((c.signals as Record<string, never>)[s.key]) ?? []).map(([path, ms]): [string[], number] => [['signals', s.key, ...path], ms])),
      ];
      if (c.windows.fast.enabled && c.windows.fast.current >= c.windows.current)
        ctx.addIssue({ code: 'custom', path: ['windows', 'fast', 'current'], message: 'must be shorter than windows.current (or set windows.fast.enabled: false)' });
      const seasonal = seasonalityProblem(c.windows);
      if (seasonal) ctx.addIssue({ code: 'custom', path: ['windows', 'seasonality'], message: seasonal });
      for (const [path, ms] of aligned) {
        if (ms % bucket !== 0) ctx.addIssue({ code: 'custom', path, message: `must be a whole number of rollup buckets (rollups.bucket)` });
      }
    })
    .describe('driftwatch configuration.') as unknown as z.ZodType<Config, ConfigInput>;
}

/** Configuration as written (durations as text); `traces` may be left out (otel, otel_traces). */
export type ConfigInput = { [K in Exclude<keyof typeof SECTIONS, 'traces'>]?: z.input<(typeof SECTIONS)[K]> } & {
  traces?: z.input<typeof otelTracesSchema> | z.input<typeof langfuseTracesSchema> | { table?: string };
  signals?: SignalsConfigInput;
};
/** Configuration after validation, defaults applied and durations in milliseconds. */
export type Config = { [K in keyof typeof SECTIONS]: z.output<(typeof SECTIONS)[K]> } & { signals: SignalsConfig };

/** Keys whose values are secrets, wherever they appear. */
export const SECRET_KEYS = new Set(['password', 'apiKey', 'token', 'secret']);
