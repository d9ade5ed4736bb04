// Text from traces made inert per sink: case tables for each escaping rule.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { markdownCode, markdownText, singleLine, slackText, urlComponent } from './untrusted.ts';

const markdown = new MarkdownIt({ html: true, linkify: true });
const inline = (text: string) => markdown.renderInline(text);

const lines: [string, string, number, string][] = [
  ['newlines and tabs become one space', 'a\n\tb\r\nc', 200, 'a b c'],
  ['control characters go', 'a\u0000b\u0007c\u009b', 200, 'a b c'],
  ['bidirectional overrides go', 'abc\u202edef\u2066', 200, 'abc def'],
  ['long text is capped with an ellipsis', 'x'.repeat(300), 10, `${'x'.repeat(9)}…`],
  ['plain text is unchanged', 'refund_payment', 200, 'refund_payment'],
];
for (const [name, input, max, expected] of lines) it(`singleLine: ${name}`, () => assert.equal(singleLine(input, max), expected));

// What a Markdown renderer shows for markdownText: exactly the text, never markup.
const texts: [string, string][] = [
  ['a link', '[click](https://evil.example)'],
  ['a heading', '# owned'],
  ['a rule', '---'],
  ['HTML', '<img src=x onerror=alert(1)>'],
  ['emphasis', '*bold* _it_'],
  ['a bare URL', 'see https://evil.example/login now'],
  ['a bare domain', 'go to evil.example'],
  ['a table cell break', 'a | b'],
  ['backslashes', 'C:\\path\\to'],
];
for (const [name, input] of texts) {
  it(`markdownText keeps ${name} as text`, () => {
    const html = inline(markdownText(input));
    assert.doesNotMatch(html, /<(a|img|em|strong|h\d|hr)\b/);
    assert.equal(decode(html), input);
  });
}

const codes: [string, string][] = [
  ['plain', 'refund_payment'],
  ['with a backtick', 'a`b'],
  ['starting with a backtick', '`tick'],
  ['with a link', '[x](https://evil.example)'],
];
for (const [name, input] of codes) {
  it(`markdownCode: ${name} renders as one code span holding the text`, () => {
    const html = inline(markdownCode(input));
    assert.match(html, /^<code>.*<\/code>$/);
    assert.equal(decode(html.replace(/^<code>|<\/code>$/g, '')).trim(), input);
  });
}

it('urlComponent encodes what would end a Markdown link destination', () => {
  assert.equal(urlComponent('a)b(c d'), 'a%29b%28c%20d');
  assert.equal(urlComponent("x'!*"), 'x%27%21%2A');
});

const slack: [string, string, string][] = [
  ['a channel mention', '<!channel> hi', '&lt;!channel&gt; hi'],
  ['a user mention', '<@U123>', '&lt;@U123&gt;'],
  ['a link', '<https://evil.example|click>', '&lt;https://evil.example|click&gt;'],
  ['an ampersand', 'a & b', 'a &amp; b'],
  ['control characters', 'a\u0000b', 'a b'],
];
for (const [name, input, expected] of slack) it(`slackText escapes ${name}`, () => assert.equal(slackText(input), expected));

function decode(html: string): string {
  return html.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&amp;', '&');
}
