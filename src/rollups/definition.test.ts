// A family's definition changes with what it builds, and with nothing else: case table.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { familyDefinition } from './engine.ts';

const SQL = 'SELECT intent FROM t WHERE ts >= {fromMs:Int64} AND key = {intentKey:String} AND x IN {names:Array(String)}';
const base = { fromMs: 0, toMs: 10, intentKey: 'intent', names: ['a', 'b'] };

it('hashes the SQL and the parameters it reads, nothing else', () => {
  const d = familyDefinition('otel:default.t', SQL, base);
  const cases: [string, string, boolean][] = [
    ['a parameter the SQL does not read', familyDefinition('otel:default.t', SQL, { ...base, humanServices: ['labelling'] }), true],
    ['the same parameters in another order', familyDefinition('otel:default.t', SQL, { names: ['a', 'b'], intentKey: 'intent', toMs: 10, fromMs: 0 }), true],
    ['another time range', familyDefinition('otel:default.t', SQL, { ...base, fromMs: 5, toMs: 99 }), true],
    ['a value the SQL reads', familyDefinition('otel:default.t', SQL, { ...base, intentKey: 'topic' }), false],
    ['a list the SQL reads, reordered', familyDefinition('otel:default.t', SQL, { ...base, names: ['b', 'a'] }), false],
    ['other SQL', familyDefinition('otel:default.t', `${SQL} AND 1`, base), false],
    ['another source', familyDefinition('otel:default.u', SQL, base), false],
  ];
  for (const [name, other, same] of cases) assert.equal(other === d, same, name);
  assert.match(d, /^[0-9a-f]{24}$/);
});
