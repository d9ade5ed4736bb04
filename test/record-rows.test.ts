// Spans become otel_traces rows as the Collector's ClickHouse exporter writes them (the recorder's conversion).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { attributeString, collectorRow } from '../scripts/record/rows.ts';

it('writes attribute values as pcommon AsString does', () => {
  const cases: [unknown, string][] = [
    ['text', 'text'],
    [42, '42'],
    [0.5, '0.5'],
    [true, 'true'],
    [['a', 'b'], '["a","b"]'],
    [[1, 2], '[1,2]'],
    [undefined, ''],
  ];
  for (const [value, expected] of cases) assert.equal(attributeString(value), expected);
});

it('writes a span as the exporter does: kind and status spelled out, nanoseconds, resource service name, events', async () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'svc' }), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('scope-x', '1.2.3');
  const parent = tracer.startSpan('parent', { kind: SpanKind.SERVER, startTime: [1_700_000_000, 123_456_789] });
  const { trace, context } = await import('@opentelemetry/api');
  const child = tracer.startSpan('child', { attributes: { 'tool.name': 'refund', n: 3, tags: ['a'] }, startTime: [1_700_000_001, 0] }, trace.setSpan(context.active(), parent));
  child.addEvent('exception', { 'exception.message': 'boom' }, [1_700_000_001, 500]);
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
  child.end([1_700_000_002, 250]);
  parent.end([1_700_000_003, 0]);
  const [c, p] = exporter.getFinishedSpans().map(collectorRow);
  assert.equal(p!.Timestamp, '2023-11-14 22:13:20.123456789');
  assert.equal(p!.SpanKind, 'Server');
  assert.equal(p!.ParentSpanId, '');
  assert.equal(c!.ParentSpanId, p!.SpanId);
  assert.equal(c!.SpanKind, 'Internal');
  assert.equal(c!.StatusCode, 'Error');
  assert.equal(c!.StatusMessage, 'boom');
  assert.equal(c!.Duration, 1_000_000_250);
  assert.equal(c!.ServiceName, 'svc');
  assert.deepEqual([c!.ScopeName, c!.ScopeVersion], ['scope-x', '1.2.3']);
  assert.deepEqual(c!.SpanAttributes, { 'tool.name': 'refund', n: '3', tags: '["a"]' });
  assert.deepEqual(c!['Events.Name'], ['exception']);
  assert.deepEqual(c!['Events.Timestamp'], ['2023-11-14 22:13:21.000000500']);
});
