/**
 * The runbooks page the Prometheus rules link to (`runbook_url`): docs/runbooks.md rendered once
 * at start. The file is the repository's own text; markdown-it escapes any HTML in it, and each
 * heading gets the anchor the rules name (its text before ' — ').
 */
import { readFileSync } from 'node:fs';
import MarkdownIt from 'markdown-it';

const RUNBOOKS = new URL('../../docs/runbooks.md', import.meta.url);

/** A heading's anchor: `## tool-api — a tool's API changed` → `tool-api`. */
export function anchorOf(heading: string): string {
  return heading
    .split(' — ')[0]!
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function renderRunbooks(markdown: string = readFileSync(RUNBOOKS, 'utf8')): string {
  const md = new MarkdownIt({ html: false, linkify: false });
  md.core.ruler.push('heading_anchors', (state) => {
    state.tokens.forEach((token, k) => {
      if (token.type === 'heading_open') token.attrSet('id', anchorOf(state.tokens[k + 1]?.content ?? ''));
    });
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>driftwatch runbooks</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .2em}h2{border-top:1px solid #ddd;padding-top:1rem}</style>
</head><body>${md.render(markdown)}</body></html>`;
}
