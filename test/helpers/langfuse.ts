/**
 * Langfuse's tables created from its own migrations' DDL (Langfuse repository,
 * packages/shared/clickhouse/migrations/unclustered 0001–0003, plus 0008's environment column),
 * and rows written the way Langfuse writes them: every update is a new
 * row version with a later event_ts, deletes are versions with is_deleted = 1.
 */
import type { Store } from '../../src/clickhouse/store.ts';

export const LANGFUSE_DDL = [
  `CREATE TABLE traces (
    \`id\` String,
    \`timestamp\` DateTime64(3),
    \`name\` String,
    \`user_id\` Nullable(String),
    \`metadata\` Map(LowCardinality(String), String),
    \`release\` Nullable(String),
    \`version\` Nullable(String),
    \`project_id\` String,
    \`public\` Bool,
    \`bookmarked\` Bool,
    \`tags\` Array(String),
    \`input\` Nullable(String) CODEC(ZSTD(3)),
    \`output\` Nullable(String) CODEC(ZSTD(3)),
    \`session_id\` Nullable(String),
    \`created_at\` DateTime64(3) DEFAULT now(),
    updated_at DateTime64(3) DEFAULT now(),
    \`event_ts\` DateTime64(3),
    \`is_deleted\` UInt8,
    INDEX idx_id id TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_res_metadata_key mapKeys(metadata) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_res_metadata_value mapValues(metadata) TYPE bloom_filter(0.01) GRANULARITY 1
) ENGINE = ReplacingMergeTree(event_ts, is_deleted) Partition by toYYYYMM(timestamp)
PRIMARY KEY (
     project_id,
     toDate(timestamp)
)
ORDER BY (
    project_id,
    toDate(timestamp),
    id
)`,
  `CREATE TABLE observations (
    \`id\` String,
    \`trace_id\` String,
    \`project_id\` String,
    \`type\` LowCardinality(String),
    \`parent_observation_id\` Nullable(String),
    \`start_time\` DateTime64(3),
    \`end_time\` Nullable(DateTime64(3)),
    \`name\` String,
    \`metadata\` Map(LowCardinality(String), String),
    \`level\` LowCardinality(String),
    \`status_message\` Nullable(String),
    \`version\` Nullable(String),
    \`input\` Nullable(String) CODEC(ZSTD(3)),
    \`output\` Nullable(String) CODEC(ZSTD(3)),
    \`provided_model_name\` Nullable(String),
    \`internal_model_id\` Nullable(String),
    \`model_parameters\` Nullable(String),
    \`provided_usage_details\` Map(LowCardinality(String), UInt64),
    \`usage_details\` Map(LowCardinality(String), UInt64),
    \`provided_cost_details\` Map(LowCardinality(String), Decimal64(12)),
    \`cost_details\` Map(LowCardinality(String), Decimal64(12)),
    \`total_cost\` Nullable(Decimal64(12)),
    \`completion_start_time\` Nullable(DateTime64(3)),
    \`prompt_id\` Nullable(String),
    \`prompt_name\` Nullable(String),
    \`prompt_version\` Nullable(UInt16),
    \`created_at\` DateTime64(3) DEFAULT now(),
    \`updated_at\` DateTime64(3) DEFAULT now(),
    event_ts DateTime64(3),
    is_deleted UInt8,
    INDEX idx_id id TYPE bloom_filter() GRANULARITY 1,
    INDEX idx_trace_id trace_id TYPE bloom_filter() GRANULARITY 1,
    INDEX idx_project_id project_id TYPE bloom_filter() GRANULARITY 1
) ENGINE = ReplacingMergeTree(event_ts, is_deleted) Partition by toYYYYMM(start_time)
PRIMARY KEY (
    project_id,
    \`type\`,
    toDate(start_time)
)
ORDER BY (
    project_id,
    \`type\`,
    toDate(start_time),
    id
)`,
  `CREATE TABLE scores (
    \`id\` String,
    \`timestamp\` DateTime64(3),
    \`project_id\` String,
    \`trace_id\` String,
    \`observation_id\` Nullable(String),
    \`name\` String,
    \`value\` Float64,
    \`source\` String,
    \`comment\` Nullable(String) CODEC(ZSTD(1)),
    \`author_user_id\` Nullable(String),
    \`config_id\` Nullable(String),
    \`data_type\` String,
    \`string_value\` Nullable(String),
    \`queue_id\` Nullable(String),
    \`created_at\` DateTime64(3) DEFAULT now(),
    \`updated_at\` DateTime64(3) DEFAULT now(),
    event_ts DateTime64(3),
    \`is_deleted\` UInt8,
    INDEX idx_id id TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_project_trace_observation (project_id, trace_id, observation_id) TYPE bloom_filter(0.001) GRANULARITY 1
) ENGINE = ReplacingMergeTree(event_ts, is_deleted) Partition by toYYYYMM(timestamp)
PRIMARY KEY (
    project_id,
    toDate(timestamp),
    name
)
ORDER BY (
    project_id,
    toDate(timestamp),
    name,
    id
)`,
  // Migration 0024 (dataset runs), with 0026's trace index.
  `CREATE TABLE dataset_run_items_rmt (
    \`id\` String,
    \`project_id\` String,
    \`dataset_run_id\` String,
    \`dataset_item_id\` String,
    \`dataset_id\` String,
    \`trace_id\` String,
    \`observation_id\` Nullable(String),
    \`error\` Nullable(String),
    \`created_at\` DateTime64(3) DEFAULT now(),
    \`updated_at\` DateTime64(3) DEFAULT now(),
    \`dataset_run_name\` String,
    \`dataset_run_description\` Nullable(String),
    \`dataset_run_metadata\` Map(LowCardinality(String), String),
    \`dataset_run_created_at\` DateTime64(3),
    \`dataset_item_input\` Nullable(String) CODEC(ZSTD(3)),
    \`dataset_item_expected_output\` Nullable(String) CODEC(ZSTD(3)),
    \`dataset_item_metadata\` Map(LowCardinality(String), String),
    \`event_ts\` DateTime64(3),
    \`is_deleted\` UInt8,
    INDEX idx_dataset_item dataset_item_id TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_trace_id trace_id TYPE bloom_filter(0.001) GRANULARITY 1
) ENGINE = ReplacingMergeTree(event_ts, is_deleted)
ORDER BY (project_id, dataset_id, dataset_run_id, id)`,
  "ALTER TABLE traces ADD COLUMN environment LowCardinality(String) DEFAULT 'default' AFTER project_id",
  "ALTER TABLE observations ADD COLUMN environment LowCardinality(String) DEFAULT 'default' AFTER project_id",
  "ALTER TABLE scores ADD COLUMN environment LowCardinality(String) DEFAULT 'default' AFTER project_id",
];

export async function createLangfuseTables(store: Store, database: string): Promise<void> {
  await store.command(`CREATE DATABASE IF NOT EXISTS ${database}`);
  for (const ddl of LANGFUSE_DDL) {
    await store.command(ddl.replace(/^(CREATE TABLE|ALTER TABLE) (\w+)/, `$1 ${database}.$2`));
  }
}

const ms = (d: Date) => d.toISOString();

export interface Observation {
  id: string;
  trace_id: string;
  project_id: string;
  type: string;
  parent_observation_id?: string | null;
  start_time: Date;
  end_time?: Date;
  name: string;
  level?: string;
  status_message?: string | null;
  input?: string | null;
  output?: string | null;
  prompt_name?: string | null;
  prompt_version?: number | null;
  /** Row version: later wins. Default: one second after start. */
  event_ts?: Date;
  is_deleted?: 0 | 1;
}

export function observationRow(o: Observation): Record<string, unknown> {
  return {
    id: o.id,
    trace_id: o.trace_id,
    project_id: o.project_id,
    type: o.type,
    parent_observation_id: o.parent_observation_id ?? null,
    start_time: ms(o.start_time),
    end_time: ms(o.end_time ?? new Date(o.start_time.getTime() + 100)),
    name: o.name,
    metadata: {},
    level: o.level ?? 'DEFAULT',
    status_message: o.status_message ?? null,
    input: o.input ?? null,
    output: o.output ?? null,
    prompt_name: o.prompt_name ?? null,
    prompt_version: o.prompt_version ?? null,
    provided_usage_details: {},
    usage_details: {},
    provided_cost_details: {},
    cost_details: {},
    event_ts: ms(o.event_ts ?? new Date(o.start_time.getTime() + 1000)),
    is_deleted: o.is_deleted ?? 0,
  };
}

export function traceRow(t: {
  id: string;
  project_id: string;
  timestamp: Date;
  name: string;
  input?: string;
  session_id?: string;
  metadata?: Record<string, string>;
  event_ts?: Date;
  is_deleted?: 0 | 1;
}): Record<string, unknown> {
  return {
    id: t.id,
    timestamp: ms(t.timestamp),
    name: t.name,
    metadata: t.metadata ?? {},
    project_id: t.project_id,
    public: false,
    bookmarked: false,
    tags: [],
    input: t.input ?? null,
    output: null,
    session_id: t.session_id ?? null,
    event_ts: ms(t.event_ts ?? new Date(t.timestamp.getTime() + 1000)),
    is_deleted: t.is_deleted ?? 0,
  };
}

export function scoreRow(s: {
  id: string;
  project_id: string;
  timestamp: Date;
  trace_id: string;
  observation_id?: string | null;
  name: string;
  source: 'EVAL' | 'ANNOTATION' | 'API';
  data_type: 'NUMERIC' | 'CATEGORICAL' | 'BOOLEAN';
  value?: number;
  string_value?: string;
  author_user_id?: string;
  event_ts?: Date;
  is_deleted?: 0 | 1;
  environment?: string;
}): Record<string, unknown> {
  return {
    id: s.id,
    timestamp: ms(s.timestamp),
    project_id: s.project_id,
    trace_id: s.trace_id,
    observation_id: s.observation_id ?? null,
    name: s.name,
    value: s.value ?? 0,
    source: s.source,
    author_user_id: s.author_user_id ?? null,
    data_type: s.data_type,
    string_value: s.string_value ?? null,
    event_ts: ms(s.event_ts ?? new Date(s.timestamp.getTime() + 1000)),
    is_deleted: s.is_deleted ?? 0,
    environment: s.environment ?? 'default',
  };
}

/** A dataset run item: one trace of an eval run over a Langfuse dataset. */
export function datasetRunItemRow(r: { id: string; project_id: string; trace_id: string; run: string; runAt: Date; event_ts?: Date; is_deleted?: 0 | 1 }): Record<string, unknown> {
  return {
    id: r.id,
    project_id: r.project_id,
    dataset_run_id: `run-${r.run}`,
    dataset_item_id: `item-${r.id}`,
    dataset_id: 'dataset-1',
    trace_id: r.trace_id,
    observation_id: null,
    error: null,
    created_at: ms(r.runAt),
    updated_at: ms(r.runAt),
    dataset_run_name: r.run,
    dataset_run_description: null,
    dataset_run_metadata: {},
    dataset_run_created_at: ms(r.runAt),
    dataset_item_input: null,
    dataset_item_expected_output: null,
    dataset_item_metadata: {},
    event_ts: ms(r.event_ts ?? r.runAt),
    is_deleted: r.is_deleted ?? 0,
  };
}
