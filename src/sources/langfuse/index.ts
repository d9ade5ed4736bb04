/**
 * Langfuse v3's ClickHouse tables as a trace source, for one project (README: Trace sources).
 * The tables are ReplacingMergeTree: every read keeps the latest version of each row
 * (`ORDER BY event_ts DESC LIMIT 1 BY id, project_id`, inside a subquery so skip indexes still apply) and only then drops deleted rows. Every query is bound to the project.
 *
 * Mapping: tool calls are TOOL observations (error = level ERROR, class from status_message);
 * traces are AGENT/CHAIN/SPAN observations without a parent (the root) and their observation
 * tree; judgements are scores (EVAL = the LLM judge, ANNOTATION = a human); prompt versions come
 * from GENERATION observations; user input, session and intent from the traces table; retrieval
 * from RETRIEVER observations, whose document ids are read from the output JSON.
 */
import type { TraceSource } from '../source.ts';
import type { ColumnKind } from '../../clickhouse/column-types.ts';
import { conventionParams, DATASET_RUN_ENVIRONMENT, MASK_PARAMS, maskedMessage, normalizedQueryHash, subjectName } from '../fragments.ts';
import { DEFAULT_CONVENTIONS, type TraceConventions } from '../../config/shape.ts';

interface LangfuseOptions {
  retrievalQueryKey: string;
  /**
   * Whether the database has Langfuse's dataset run items (`dataset_run_items_rmt`): the scores of
   * a trace linked to a dataset run are then that run's, an eval run's, not production's.
   */
  datasetRuns?: boolean;
  /** How the traces are written (`traces.conventions`); the defaults when left out. */
  conventions?: TraceConventions;
}

const range = (column: string, lateMs = false) =>
  `${column} >= fromUnixTimestamp64Milli({fromMs:Int64}) AND ${column} < fromUnixTimestamp64Milli({toMs:Int64})${lateMs ? ' + toIntervalMillisecond({lateMs:Int64})' : ''}`;

/** The latest live version of each row of `table` for the project, time-bounded on `timeColumn`. */
const latest = (db: string, table: string, timeColumn: string, lateMs = false) => `(
    SELECT * FROM (
      SELECT * FROM ${db}.${table}
      WHERE project_id = {project:String} AND ${range(timeColumn, lateMs)}
      ORDER BY event_ts DESC
      LIMIT 1 BY id, project_id)
    WHERE is_deleted = 0)`;

/** Langfuse's dataset run items, the table that links an eval run's traces to their run. */
export const DATASET_RUN_ITEMS = 'dataset_run_items_rmt';

/**
 * The dataset run of each trace of the project that has one (its newest run), for the traces
 * scored in [{fromMs}, {toMs}) only: a run's traces are few, production's scores many.
 */
const datasetRuns = (db: string) => `(
    SELECT trace_id AS run_trace_id, argMax(dataset_run_name, dataset_run_created_at) AS run_name
    FROM (
      SELECT * FROM ${db}.${DATASET_RUN_ITEMS}
      WHERE project_id = {project:String}
        AND trace_id IN (SELECT trace_id FROM ${db}.scores WHERE project_id = {project:String} AND ${range('timestamp')})
      ORDER BY event_ts DESC
      LIMIT 1 BY id, project_id)
    WHERE is_deleted = 0
    GROUP BY trace_id)`;

/** Observation type → the lower-case span kinds the signals use. */
const KIND = `multiIf(type = 'GENERATION', 'llm', type = 'TOOL', 'tool', type = 'RETRIEVER', 'retriever', type = 'EMBEDDING', 'embedding', type = 'GUARDRAIL', 'guardrail', type = 'EVALUATOR', 'evaluator', type = 'AGENT', 'agent', type = 'CHAIN', 'chain', '')`;

/** A JSON-or-plain-text Langfuse input: a JSON string is unquoted, a JSON object yields `key`. */
const text = (column: string, key: string) =>
  `multiIf(isNull(${column}) OR ${column} = '', '', JSONType(assumeNotNull(${column})) = 'String', JSONExtractString(assumeNotNull(${column})),
     JSONType(assumeNotNull(${column})) = 'Object', JSONExtractString(assumeNotNull(${column}), ${key}), assumeNotNull(${column}))`;

export const LANGFUSE_TABLES: Record<string, Record<string, ColumnKind>> = {
  traces: { id: 'string', timestamp: 'time', name: 'string', project_id: 'string', input: 'string', metadata: 'map', session_id: 'string', event_ts: 'time', is_deleted: 'number' },
  observations: {
    id: 'string',
    trace_id: 'string',
    project_id: 'string',
    type: 'string',
    parent_observation_id: 'string',
    start_time: 'time',
    end_time: 'time',
    name: 'string',
    level: 'string',
    status_message: 'string',
    output: 'string',
    input: 'string',
    prompt_name: 'string',
    prompt_version: 'number',
    event_ts: 'time',
    is_deleted: 'number',
  },
  scores: {
    id: 'string',
    timestamp: 'time',
    project_id: 'string',
    trace_id: 'string',
    observation_id: 'string',
    name: 'string',
    value: 'number',
    source: 'string',
    data_type: 'string',
    string_value: 'string',
    author_user_id: 'string',
    event_ts: 'time',
    is_deleted: 'number',
    environment: 'string',
  },
};

export function langfuseSource(database: string, project: string, options: LangfuseOptions): TraceSource {
  const observations = (lateMs = false) => latest(database, 'observations', 'start_time', lateMs);
  return {
    schema: 'langfuse',
    id: `langfuse:${database}:${project}`,
    requiredColumns: new Map(Object.entries(LANGFUSE_TABLES)),
    optionalTables: { events_core: 'not read', events_full: 'not read', [DATASET_RUN_ITEMS]: 'the scores of its dataset runs are CI runs' },
    conventions: options.conventions ?? DEFAULT_CONVENTIONS,
    params: { ...MASK_PARAMS, project, retrievalQueryKey: options.retrievalQueryKey, ...conventionParams(options.conventions ?? DEFAULT_CONVENTIONS) },

    toolCalls: () => `
      SELECT start_time AS ts, trace_id, ifNull(parent_observation_id, '') AS parent_id, name AS tool,
             toUInt8(level = 'ERROR') AS is_error,
             left(if(ifNull(status_message, '') = '', 'unknown',
               ${maskedMessage('assumeNotNull(status_message)')}), 120) AS error_class,
             toFloat64(if(isNull(end_time), 0, dateDiff('millisecond', start_time, assumeNotNull(end_time)))) AS duration_ms
      FROM ${observations()}
      WHERE type = 'TOOL'`,

    retrievals: (n) => {
      // Documents: a JSON array of {id} or {document: {id}}, or an object with such a `documents` array.
      const docs = `if(JSONType(ifNull(output, '')) = 'Array', JSONExtractArrayRaw(ifNull(output, '')), JSONExtractArrayRaw(ifNull(output, ''), 'documents'))`;
      return `
        SELECT start_time AS ts, trace_id, name AS retriever,
               ${normalizedQueryHash(text('input', '{retrievalQueryKey:String}'), n)} AS query_hash,
               arrayFilter(x -> x != '', arrayMap(d -> coalesce(nullIf(JSONExtractString(d, 'id'), ''), nullIf(JSONExtractString(d, 'document', 'id'), ''), nullIf(JSONExtractRaw(d, 'id'), ''), ''), ${docs})) AS doc_ids, 'output' AS id_source
        FROM ${observations()}
        WHERE type = 'RETRIEVER'`;
    },

    judgements: () => `
      SELECT timestamp AS ts, ifNull(trace_id, '') AS trace_id, ifNull(observation_id, '') AS span_id,
             if(ifNull(observation_id, '') != '', assumeNotNull(observation_id), concat('trace:', ifNull(trace_id, ''))) AS target,
             name AS rubric,
             multiIf(source = 'EVAL', 'LLM', source = 'ANNOTATION', 'HUMAN', source) AS annotator,
             coalesce(author_user_id, source) AS identifier,
             if(data_type IN ('CATEGORICAL', 'BOOLEAN'), ifNull(string_value, ''), '') AS label,
             if(data_type IN ('NUMERIC', 'BOOLEAN'), toNullable(value), NULL) AS score,
             ${options.datasetRuns ? `if(run_name != '', concat('${DATASET_RUN_ENVIRONMENT}', run_name), toString(environment))` : 'toString(environment)'} AS environment
      FROM ${latest(database, 'scores', 'timestamp')}${options.datasetRuns ? ` AS s LEFT ANY JOIN ${datasetRuns(database)} AS runs ON ifNull(s.trace_id, '') = runs.run_trace_id` : ''}
      WHERE data_type IN ('NUMERIC', 'CATEGORICAL', 'BOOLEAN') AND (data_type = 'CATEGORICAL' OR isFinite(value))`,

    // Durations are differences of two DateTime64 here, always finite; a score's value may not be.
    nonFinite: () => `
      SELECT toUInt64(0) AS duration, count() AS score
      FROM ${latest(database, 'scores', 'timestamp')}
      WHERE data_type IN ('NUMERIC', 'BOOLEAN') AND NOT isFinite(value)`,

    promptUses: () => `
      SELECT start_time AS ts, trace_id, ${subjectName("ifNull(prompt_name, 'default')")} AS prompt, toString(assumeNotNull(prompt_version)) AS version
      FROM ${observations()}
      WHERE type = 'GENERATION' AND isNotNull(prompt_version)`,

    traceSpans: () => `
      SELECT start_time AS ts, trace_id,
             isNull(parent_observation_id) AND type IN ('AGENT', 'CHAIN', 'SPAN') AS is_root,
             ${KIND} AS kind,
             if(type = 'TOOL', name, '') AS tool,
             toUInt8(level = 'ERROR') AS is_error,
             if(isNull(parent_observation_id), ${subjectName('name')}, '') AS agent
      FROM ${observations(true)}
      WHERE trace_id IN (
        SELECT trace_id FROM ${observations()} WHERE isNull(parent_observation_id) AND type IN ('AGENT', 'CHAIN', 'SPAN'))`,

    // Every stored row version counts, so an update (a new version with a later event_ts) or a
    // deletion changes the bucket's checksum even when the number of live rows does not.
    fingerprint: () => `
      SELECT intDiv(toUnixTimestamp64Milli(toDateTime64(t, 3)), {bucketMs:Int64}) * {bucketMs:Int64} AS bucket, count() AS rows, sum(h) AS checksum
      FROM (
        SELECT timestamp AS t, cityHash64(id, event_ts, is_deleted) AS h FROM ${database}.traces
        WHERE project_id = {project:String} AND ${range('timestamp')}
        UNION ALL
        SELECT start_time AS t, cityHash64(id, event_ts, is_deleted) AS h FROM ${database}.observations
        WHERE project_id = {project:String} AND ${range('start_time')}
        UNION ALL
        SELECT timestamp AS t, cityHash64(id, event_ts, is_deleted) AS h FROM ${database}.scores
        WHERE project_id = {project:String} AND ${range('timestamp')})
      GROUP BY bucket`,

    // Every stored version counts: this asks whether rows still arrive, not how many observations there are.
    activity: () => `
      SELECT start_time AS ts FROM ${database}.observations
      WHERE project_id = {project:String} AND ${range('start_time')}`,

    traceRoots: () => `
      SELECT timestamp AS ts, id AS trace_id, ${subjectName('name')} AS agent, 'langfuse' AS service,
             ifNull(session_id, '') AS session, ${text('input', "'input'")} AS input,
             trim(BOTH '"' FROM metadata[{intentKey:String}]) AS intent
      FROM ${latest(database, 'traces', 'timestamp')}`,
  };
}
