/**
 * Control characters made visible. Text that came from traces (a tool name, an error message) can
 * carry CR/LF that forge a log line, ESC sequences that rewrite an operator's terminal, NUL and BEL,
 * C1 controls some terminals obey, and bidirectional overrides that make text read backwards.
 * Where such text is written as text (human log lines, Prometheus label values), each of these
 * becomes a visible escape instead: `\n`, `\r`, `\t`, `\x1b`, `\u202e`.
 */

/** C0 and C1 controls, DEL, the Unicode line and paragraph separators, and bidirectional controls. */
export const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The text with every control character written as a visible escape. */
export function visibleEscapes(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}

/** Controls JSON.stringify leaves raw (it escapes only C0): DEL, C1, separators, bidirectional controls. */
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A JSON text with the controls JSON leaves raw written as `\uXXXX` escapes: the same value when
 * parsed, and nothing a terminal would obey when the line is read with `tail`. They can only occur
 * inside strings, where such an escape is valid.
 */
export function jsonEscapes(json: string): string {
  return json.replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
