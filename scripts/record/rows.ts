/**
 * Finished OpenTelemetry spans as rows of `otel_traces`, exactly as the Collector's ClickHouse
 * exporter writes them (exporter/clickhouseexporter, traces): attribute values as strings (numbers
 * and booleans in their text form, arrays and maps as JSON, which is what pcommon's AsString
 * gives), span kind and status in the current exporter's spelling (`Internal`, `Error`; older releases
 * wrote `SPAN_KIND_INTERNAL` and `STATUS_CODE_ERROR`; driftwatch reads both status spellings),
 * Duration in nanoseconds, ServiceName from the resource's `service.name`, events and links as the
 * Nested columns.
 */
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

type Attrs = Record<string, unknown>;

/** pcommon.Value.AsString: strings as they are, bools and numbers as text, arrays and maps as JSON. */
export function attributeString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return '';
  return JSON.stringify(value);
}

const attrMap = (attrs: Attrs | undefined): Record<string, string> => Object.fromEntries(Object.entries(attrs ?? {}).map(([k, v]) => [k, attributeString(v)]));

const KINDS = ['Internal', 'Server', 'Client', 'Producer', 'Consumer'];
const STATUS = ['Unset', 'Ok', 'Error'];

/** [seconds, nanoseconds] as ClickHouse's DateTime64(9) text. */
function time([s, ns]: [number, number]): string {
  return `${new Date(s * 1000).toISOString().slice(0, 19).replace('T', ' ')}.${String(ns).padStart(9, '0')}`;
}

export interface CollectorRow {
  Timestamp: string;
  TraceId: string;
  SpanId: string;
  ParentSpanId: string;
  TraceState: string;
  SpanName: string;
  SpanKind: string;
  ServiceName: string;
  ResourceAttributes: Record<string, string>;
  ScopeName: string;
  ScopeVersion: string;
  SpanAttributes: Record<string, string>;
  Duration: number;
  StatusCode: string;
  StatusMessage: string;
  'Events.Timestamp': string[];
  'Events.Name': string[];
  'Events.Attributes': Record<string, string>[];
  'Links.TraceId': string[];
  'Links.SpanId': string[];
  'Links.TraceState': string[];
  'Links.Attributes': Record<string, string>[];
}

export function collectorRow(span: ReadableSpan): CollectorRow {
  const resource = attrMap(span.resource.attributes as Attrs);
  const parent = (span as unknown as { parentSpanContext?: { spanId: string } }).parentSpanContext?.spanId ?? '';
  const [ds, dns] = span.duration;
  const scope = (span as unknown as { instrumentationScope?: { name: string; version?: string } }).instrumentationScope;
  return {
    Timestamp: time(span.startTime),
    TraceId: span.spanContext().traceId,
    SpanId: span.spanContext().spanId,
    ParentSpanId: parent,
    TraceState: span.spanContext().traceState?.serialize() ?? '',
    SpanName: span.name,
    SpanKind: KINDS[span.kind] ?? 'Unspecified',
    ServiceName: resource['service.name'] ?? '',
    ResourceAttributes: resource,
    ScopeName: scope?.name ?? '',
    ScopeVersion: scope?.version ?? '',
    SpanAttributes: attrMap(span.attributes as Attrs),
    Duration: ds * 1e9 + dns,
    StatusCode: STATUS[span.status.code] ?? 'Unset',
    StatusMessage: span.status.message ?? '',
    'Events.Timestamp': span.events.map((e) => time(e.time)),
    'Events.Name': span.events.map((e) => e.name),
    'Events.Attributes': span.events.map((e) => attrMap(e.attributes as Attrs)),
    'Links.TraceId': span.links.map((l) => l.context.traceId),
    'Links.SpanId': span.links.map((l) => l.context.spanId),
    'Links.TraceState': span.links.map((l) => l.context.traceState?.serialize() ?? ''),
    'Links.Attributes': span.links.map((l) => attrMap(l.attributes as Attrs)),
  };
}
