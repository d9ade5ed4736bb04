/**
 * Redaction by value. Secrets hide in more places than the fields named `password`, `apiKey` and
 * `token`: in a URL's userinfo (`http://user:PW@host`), in its query (`?password=…`,
 * `&api_key=…`), in a link template. Every such value is collected from the config once, and
 * every text that leaves the process (log lines, errors, check-config, alerts) has each
 * occurrence replaced, whatever key or message carries it.
 */
import { SECRET_KEYS } from './shape.ts';

export const REDACTED = '[redacted]';

/** Query parameters whose values are credentials (matched case-insensitively, `-`/`_` ignored). */
const SECRET_PARAM = /^(password|passwd|pass|pwd|secret|token|accesstoken|apikey|key|auth|authorization|sig|signature|xamzsignature|xamzcredential|credential|credentials)$/i;

/**
 * Shorter values are not treated as secrets: redacting every "ab" in every log line would make
 * logs unreadable and protect nothing.
 */
const MIN_SECRET_LENGTH = 3;

/** Every secret value in a config (or any object): secret keys, URL passwords, secret query values. */
export function secretValues(value: unknown): string[] {
  const found = new Set<string>();
  const visit = (v: unknown, key?: string) => {
    if (typeof v === 'string') {
      if (key !== undefined && SECRET_KEYS.has(key)) found.add(v);
      for (const s of urlSecrets(v)) found.add(s);
    } else if (Array.isArray(v)) {
      for (const item of v) visit(item);
    } else if (v && typeof v === 'object') {
      // A webhook's URL is often its credential (a token in the path); its extra headers carry
      // credentials (Authorization, an API key) under any name.
      if (key === 'webhook' && typeof (v as { url?: unknown }).url === 'string') found.add((v as { url: string }).url);
      if (key === 'headers') for (const item of Object.values(v)) if (typeof item === 'string') found.add(item.replace(/^(Bearer|Basic|Token)\s+/i, ''));
      for (const [k, item] of Object.entries(v)) visit(item, k);
    }
  };
  visit(value);
  // Longest first, so a secret that contains another is replaced whole.
  return [...found].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/**
 * A pattern matching a secret however it is spelled where text carries it: each character raw,
 * percent-encoded in either hex case (`%2F`, `%2f`, `%21` for a `!` that needs no escape), `+`
 * for a space, or JSON-escaped (`\"`, `\/`, `\u0041`). A config may spell its URL's escapes
 * differently from how any encoder would, so matching the encoder's spelling is not enough.
 */
export function spellingPattern(secret: string): RegExp {
  const hex = (n: number, width: number) => [...n.toString(16).toUpperCase().padStart(width, '0')].map((d) => (/[A-F]/.test(d) ? `[${d}${d.toLowerCase()}]` : d)).join('');
  const parts = [...secret].map((ch) => {
    const alternatives = [ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')];
    alternatives.push([...new TextEncoder().encode(ch)].map((b) => `%${hex(b, 2)}`).join(''));
    if (ch === ' ') alternatives.push('\\+');
    if (ch.length === 1) alternatives.push(`\\\\u${hex(ch.charCodeAt(0), 4)}`);
    const jsonEscape = JSON.stringify(ch).slice(1, -1);
    if (jsonEscape !== ch) alternatives.push(jsonEscape.replace(/\\/g, '\\\\'));
    if (ch === '/') alternatives.push('\\\\/');
    return `(?:${alternatives.join('|')})`;
  });
  return new RegExp(parts.join(''), 'g');
}

/** The password and secret query values of a URL (or of a link template with `{…}` placeholders). */
export function urlSecrets(text: string): string[] {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return [];
  let url: URL;
  try {
    url = new URL(text.replace(/\{[^}]*\}/g, 'x'));
  } catch {
    return [];
  }
  const out: string[] = [];
  if (url.password) out.push(safeDecode(url.password));
  for (const [name, value] of url.searchParams) if (value !== '' && SECRET_PARAM.test(name.replace(/[-_]/g, ''))) out.push(value);
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Replaces secrets in text. Mutable, so a reloaded config's new secrets reach the same logger. */
export class Redactor {
  private secrets: string[] = [];
  private patterns: RegExp[] = [];

  constructor(config?: unknown) {
    if (config !== undefined) this.use(config);
  }

  /** Collects the secrets of this config (those of an earlier config are kept too). */
  use(config: unknown): this {
    this.secrets = [...new Set([...this.secrets, ...secretValues(config)])].sort((a, b) => b.length - a.length);
    this.patterns = this.secrets.map(spellingPattern);
    return this;
  }

  text(text: string): string {
    let out = text;
    for (const pattern of this.patterns) out = out.replace(pattern, REDACTED);
    return out;
  }

  /** A copy of any JSON-like value with every secret field and every secret inside a string replaced. */
  value<T>(value: T): T {
    if (typeof value === 'string') return this.text(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.value(v)) as T;
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.has(k) && typeof v === 'string' && v !== '' ? REDACTED : this.value(v)])) as T;
    }
    return value;
  }
}
