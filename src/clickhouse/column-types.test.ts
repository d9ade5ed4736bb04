// Column kinds: what each exporter and Langfuse version writes is accepted; a wrong type is named.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { matchesKind, type ColumnKind } from './column-types.ts';
import { columnProblems } from '../sources/preflight.ts';

const cases: [ColumnKind, string, boolean][] = [
  ['string', 'String', true],
  ['string', 'LowCardinality(String)', true],
  ['string', 'Nullable(String)', true],
  ['string', 'LowCardinality(Nullable(String))', true],
  ['string', "Enum8('Unset' = 0, 'Ok' = 1, 'Error' = 2)", true],
  ['string', 'UInt64', false],
  ['time', 'DateTime64(9)', true],
  ['time', "DateTime64(3, 'UTC')", true],
  ['time', 'Nullable(DateTime64(3))', true],
  ['time', 'DateTime', true],
  ['time', 'String', false],
  ['number', 'UInt64', true],
  ['number', 'Int64', true],
  ['number', 'Float64', true],
  ['number', 'Nullable(UInt16)', true],
  ['number', 'String', false],
  ['map', 'Map(LowCardinality(String), String)', true],
  ['map', 'Map(String, String)', true],
  ['map', 'String', false],
  ['map', 'Map(String, UInt64)', false],
  ['string array', 'Array(LowCardinality(String))', true],
  ['string array', 'Array(String)', true],
  ['string array', 'String', false],
  ['map array', 'Array(Map(LowCardinality(String), String))', true],
  ['map array', 'Array(String)', false],
];
for (const [kind, type, expected] of cases) it(`${type} ${expected ? 'is' : 'is not'} a ${kind} column`, () => assert.equal(matchesKind(kind, type), expected));

it('names each missing or mistyped column on its own line', () => {
  const problems = columnProblems({ Timestamp: 'time', SpanAttributes: 'map', ServiceName: 'string', Duration: 'number' }, [
    { name: 'Timestamp', type: 'DateTime64(9)' },
    { name: 'SpanAttributes', type: 'String' },
    { name: 'Duration', type: 'UInt64' },
  ]);
  assert.deepEqual(problems, ['SpanAttributes: is String, expected map', 'ServiceName: missing (expected string)']);
});
