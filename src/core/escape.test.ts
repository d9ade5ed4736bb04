// Control characters from trace text become visible escapes, and nothing else changes.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { jsonEscapes, visibleEscapes } from './escape.ts';

const CASES: [string, string, string][] = [
  ['plain text is unchanged', 'refund_payment · ünïcode ok', 'refund_payment · ünïcode ok'],
  ['CR and LF that would forge a line', 'a\r\n2026-01-01T00:00:00Z INFO forged', 'a\\r\\n2026-01-01T00:00:00Z INFO forged'],
  ['an ESC sequence that clears the terminal', 'x\u001b[2J\u001b[H', 'x\\x1b[2J\\x1b[H'],
  ['NUL and BEL', 'a\u0000b\u0007', 'a\\x00b\\x07'],
  ['DEL and a C1 CSI', 'a\u007fb\u009bc', 'a\\x7fb\\x9bc'],
  ['a tab', 'a\tb', 'a\\tb'],
  ['Unicode line separators', 'a\u2028b\u2029', 'a\\u2028b\\u2029'],
  ['a right-to-left override', 'txt.\u202egpj', 'txt.\\u202egpj'],
];
for (const [name, input, expected] of CASES) it(`visibleEscapes: ${name}`, () => assert.equal(visibleEscapes(input), expected));

it('jsonEscapes: the controls JSON leaves raw become \\u escapes of the same value', () => {
  const value = { tool: 'a\u009b[2J\u007f\u202e\u2028b', plain: 'ü' };
  const json = jsonEscapes(JSON.stringify(value));
  assert.equal(json, '{"tool":"a\\u009b[2J\\u007f\\u202e\\u2028b","plain":"ü"}');
  assert.deepEqual(JSON.parse(json), value);
});
