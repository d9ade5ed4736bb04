import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTableEngine, shardedByTrace } from './table-engine.ts';

describe('parseTableEngine', () => {
  const cases: [string, string, string, ReturnType<typeof parseTableEngine>][] = [
    ['a MergeTree', 'MergeTree', 'MergeTree PARTITION BY toDate(Timestamp) ORDER BY (ServiceName, SpanName)', { engine: 'MergeTree' }],
    [
      'Distributed by trace',
      'Distributed',
      "Distributed('traces', 'otel', 'otel_traces_local', cityHash64(TraceId))",
      { engine: 'Distributed', cluster: 'traces', local: 'otel.otel_traces_local', shardingKey: 'cityHash64(TraceId)' },
    ],
    ['Distributed by rand with a policy', 'Distributed', "Distributed('c', 'db', 't', rand(), 'hot')", { engine: 'Distributed', cluster: 'c', local: 'db.t', shardingKey: 'rand()' }],
    ["Distributed over each shard's default database", 'Distributed', "Distributed('two', '', 'otel_traces')", { engine: 'Distributed', cluster: 'two', local: 'otel_traces' }],
    [
      'a key with commas inside',
      'Distributed',
      "Distributed('c', 'db', 't', sipHash64(ServiceName, TraceId))",
      { engine: 'Distributed', cluster: 'c', local: 'db.t', shardingKey: 'sipHash64(ServiceName, TraceId)' },
    ],
    ['a quoted comma and paren', 'Distributed', "Distributed('a,b)', 'db', 't')", { engine: 'Distributed', cluster: 'a,b)', local: 'db.t' }],
  ];
  for (const [name, engine, full, expected] of cases) it(name, () => assert.deepEqual(parseTableEngine(engine, full), expected));
});

describe('shardedByTrace', () => {
  const cases: [string | undefined, boolean][] = [
    ['cityHash64(TraceId)', true],
    ['xxHash64(TraceId) % 8', true],
    ['TraceId', true],
    ['`TraceId`', true],
    ['rand()', false],
    ['sipHash64(ServiceName, TraceId)', false],
    ['cityHash64(SpanId)', false],
    ["cityHash64(concat(TraceId, 'x'))", true],
    [undefined, false],
    ['', false],
  ];
  for (const [key, expected] of cases) it(`${JSON.stringify(key)} → ${expected}`, () => assert.equal(shardedByTrace(key, 'TraceId'), expected));
  it('reads the column the source names (Langfuse: trace_id)', () => assert.equal(shardedByTrace('cityHash64(trace_id)', 'trace_id'), true));
});
