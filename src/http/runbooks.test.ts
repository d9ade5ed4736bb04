import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { anchorOf, renderRunbooks } from './runbooks.ts';

it('renders the runbooks with one anchor per rule’s runbook_url, escaping HTML', () => {
  const html = renderRunbooks();
  const rules = readFileSync(new URL('../../dashboards/driftwatch.rules.yml', import.meta.url), 'utf8');
  const anchors = [...rules.matchAll(/runbook_url: .*\/runbooks#([a-z0-9-]+)/g)].map((m) => m[1]!);
  assert.ok(anchors.length >= 13, `${anchors.length} rules with a runbook_url`);
  for (const a of anchors) assert.match(html, new RegExp(`<h2 id="${a}">`), a);
  assert.equal(anchorOf('tool-api — a tool’s API changed'), 'tool-api');
  assert.doesNotMatch(renderRunbooks('## x\n\n<script>alert(1)</script>'), /<script>/);
});
