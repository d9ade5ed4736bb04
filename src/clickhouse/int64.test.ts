import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { numbersAlong, parseColumnType, rowsWithNumbers } from './int64.ts';

describe('64-bit integers along their column type', () => {
  const cases: [string, string, unknown, unknown][] = [
    ['UInt64', 'UInt64', '42', 42],
    ['Int64 negative', 'Int64', '-7', -7],
    ['String that looks numeric stays a string', 'String', '42', '42'],
    ['UInt32 is already a number', 'UInt32', 42, 42],
    ['Nullable(UInt64) null', 'Nullable(UInt64)', null, null],
    ['Array(UInt64)', 'Array(UInt64)', ['1', '2'], [1, 2]],
    ['Array(String) of digits stays', 'Array(String)', ['1', '2'], ['1', '2']],
    ['Map(String, UInt64): values only', 'Map(String, UInt64)', { '7': '3' }, { '7': 3 }],
    ['Tuple(String, UInt64): the second only', 'Tuple(String, UInt64)', ['12', '34'], ['12', 34]],
    ['named tuple as object', 'Tuple(id String, n UInt64)', { id: '5', n: '6' }, { id: '5', n: 6 }],
    ['Array(Tuple(Float64, String))', 'Array(Tuple(Float64, String))', [[0.5, '9']], [[0.5, '9']]],
    ['LowCardinality(Nullable(UInt64))', 'LowCardinality(Nullable(UInt64))', '8', 8],
  ];
  for (const [name, type, value, expected] of cases) it(name, () => assert.deepEqual(numbersAlong(value, parseColumnType(type)), expected));

  it('converts the rows of a JSON-format answer by their meta', () => {
    const rows = rowsWithNumbers<{ n: number; id: string }>({
      meta: [
        { name: 'n', type: 'UInt64' },
        { name: 'id', type: 'String' },
      ],
      data: [{ n: '3', id: '4' }],
    });
    assert.deepEqual(rows, [{ n: 3, id: '4' }]);
  });
});
