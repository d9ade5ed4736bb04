// Secrets are found by value wherever the config holds them, and removed from any text.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { Redactor, secretValues, urlSecrets } from './secrets.ts';

const urls: [string, string, string[]][] = [
  ['userinfo password', 'http://reader:s3cret-pw@clickhouse:8123', ['s3cret-pw']],
  ['a percent-encoded password is found decoded', 'https://u:p%40ss%2Fword@host', ['p@ss/word']],
  ['a password query parameter', 'http://clickhouse:8123/?user=reader&password=q-secret-1', ['q-secret-1']],
  ['an API key in a link template', 'https://grafana.example/explore?api_key=glsa_ABC123&traceId={traceId}', ['glsa_ABC123']],
  ['signature parameters', 'https://bucket.example/x?X-Amz-Signature=abcdef0123&X-Amz-Credential=AKIA1234', ['abcdef0123', 'AKIA1234']],
  ['harmless parameters are kept', 'https://grafana.example/explore?orgId=1&traceId={traceId}', []],
  ['not a URL', 'refund_payment', []],
];
for (const [name, url, expected] of urls) it(`urlSecrets: ${name}`, () => assert.deepEqual(urlSecrets(url), expected));

it('collects secret fields and URL secrets from a whole config, ignoring values too short to matter', () => {
  const config = {
    clickhouse: { url: 'http://u:url-pass@h:8123', password: 'field-pass' },
    notify: {
      linear: { apiKey: 'lin_api_xyz', apiUrl: 'https://user:linear-basic@proxy.example/graphql' },
      slack: { token: 'xoxb-1' },
      traceLinkTemplate: 'https://g.example/?token=tpl-token&id={traceId}',
    },
    other: { password: 'ab' },
  };
  const found = secretValues(config);
  for (const s of ['url-pass', 'field-pass', 'lin_api_xyz', 'linear-basic', 'xoxb-1', 'tpl-token']) assert.ok(found.includes(s), s);
  assert.ok(!found.includes('ab'));
});

it('replaces every occurrence, raw, percent-encoded and JSON-escaped, longest first', () => {
  const r = new Redactor({ clickhouse: { password: 'p@ss"word' }, notify: { slack: { token: 'tok-123' } } });
  assert.equal(r.text('a p@ss"word b'), 'a [redacted] b');
  assert.equal(r.text('url p%40ss%22word'), 'url [redacted]');
  assert.equal(r.text(JSON.stringify({ err: 'p@ss"word' })), '{"err":"[redacted]"}');
  assert.equal(r.text('tok-123tok-123'), '[redacted][redacted]');
});

it('redacts a copy of a config by key and by value, and learns the secrets of a reloaded one', () => {
  const r = new Redactor({ clickhouse: { url: 'http://u:pw-one@h', password: '' } });
  assert.deepEqual(r.value({ clickhouse: { url: 'http://u:pw-one@h', password: '' } }), { clickhouse: { url: 'http://u:[redacted]@h', password: '' } });
  r.use({ notify: { slack: { token: 'new-token' } } });
  assert.equal(r.text('pw-one new-token'), '[redacted] [redacted]');
});

// One password, `p/ss!wörd x`, spelled in a config's URL every way a person or a tool writes it.
const SPELLINGS: [string, string][] = [
  ['upper-case escapes', 'p%2Fss%21w%C3%B6rd%20x'],
  ['lower-case escapes', 'p%2fss%21w%c3%b6rd%20x'],
  ['mixed-case escapes', 'p%2Fss%21w%c3%B6rd%20x'],
  ['! left raw, as encodeURIComponent leaves it', 'p%2Fss!w%C3%B6rd%20x'],
  ['every character escaped', [...new TextEncoder().encode('p/ss!wörd x')].map((b) => `%${b.toString(16)}`).join('')],
  ['the non-ASCII letter raw', 'p%2fss%21wörd%20x'],
];
const PASSWORD = 'p/ss!wörd x';
for (const [name, spelling] of SPELLINGS) {
  it(`redacts a URL password spelled with ${name}, in every spelling it reaches text in`, () => {
    const url = `http://reader:${spelling}@clickhouse:8123/`;
    const r = new Redactor({ clickhouse: { url } });
    assert.equal(r.text(`connecting to ${url}`), 'connecting to http://reader:[redacted]@clickhouse:8123/');
    for (const other of SPELLINGS) assert.equal(r.text(`x ${other[1]} y`), 'x [redacted] y', `written as ${other[0]}`);
    assert.equal(r.text(`x ${PASSWORD} y`), 'x [redacted] y', 'decoded');
    assert.equal(r.text(JSON.stringify({ err: PASSWORD })), '{"err":"[redacted]"}', 'JSON-escaped');
    assert.equal(r.text(JSON.stringify({ err: PASSWORD }).replace('/', '\\/')), '{"err":"[redacted]"}', 'JSON with an escaped slash');
    assert.equal(r.text(new URLSearchParams({ p: PASSWORD }).toString()), 'p=[redacted]', 'form-encoded (+ for the space)');
    assert.deepEqual(r.value({ clickhouse: { url } }), { clickhouse: { url: 'http://reader:[redacted]@clickhouse:8123/' } });
  });
}
