// Subject names in the engine's own SQL: bounded, and never equal for two different names.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { OVERFLOW_SUBJECT, subjectName } from './fragments.ts';
import { freshStore } from '../../test/helpers/spans.ts';
import type { Store } from '../clickhouse/store.ts';

let store: Store;
before(async () => {
  store = (await freshStore()).store;
});
after(async () => store.close());

const named = async (names: string[]) => (await store.query<{ n: string }>(`SELECT ${subjectName('x')} AS n FROM (SELECT arrayJoin({names:Array(String)}) AS x)`, { names })).map((r) => r.n);

const prefix = 'lookup_customer_order_history_with_a_very_long_generated_name_from_an_openapi_spec_';
const cases: [string, string, string | RegExp][] = [
  ['a plain name is kept', 'refund_payment', 'refund_payment'],
  ['a real tool named like the overflow is quoted', 'other', '"other"'],
  ['and one already quoted gets one more pair', '"other"', '""other""'],
  ['a name that only contains it is kept', 'other_tool', 'other_tool'],
  ['a long name keeps 71 characters and a hash', `${prefix}v1`, new RegExp(`^${prefix.slice(0, 71)}…[0-9a-f]{8}$`)],
  ['multi-byte characters are cut whole', 'é'.repeat(100), /^é{71}…[0-9a-f]{8}$/],
];
for (const [name, input, expected] of cases) {
  it(name, async () => {
    const [out] = await named([input]);
    if (typeof expected === 'string') assert.equal(out, expected);
    else assert.match(out!, expected);
  });
}

it('keeps names sharing their first 80 characters apart, and the overflow bucket apart from all', async () => {
  const out = await named([`${prefix}v1`, `${prefix}v2`, 'other']);
  assert.equal(new Set(out).size, 3);
  assert.ok(out.every((n) => [...n].length <= 80));
  assert.ok(!out.includes(OVERFLOW_SUBJECT));
});
