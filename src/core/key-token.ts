// Agent ids as key tokens of a key-value store (README.md "Several hosts"): a key is
// `<prefix>{agent}<suffix>` and the agent id must fit in one token. Letters, digits, `_` and
// `-` stand for themselves; every other character is written as `=XX` per UTF-8 byte (`=`
// itself too), so the encoding is reversible and every id has exactly one key.

const PLAIN = /^[A-Za-z0-9_-]$/;

export function encodeKeyToken(id: string): string {
  let out = '';
  for (const ch of id) {
    if (PLAIN.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of new TextEncoder().encode(ch))
      out += '=' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** The id a token stands for, or null when the token is not one this encoding makes. */
export function decodeKeyToken(token: string): string | null {
  if (token === '' || !/^(?:[A-Za-z0-9_-]|=[0-9A-F]{2})+$/.test(token)) return null;
  const bytes: number[] = [];
  for (let i = 0; i < token.length; i++) {
    if (token[i] === '=') {
      bytes.push(parseInt(token.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(token.charCodeAt(i));
  }
  let id: string;
  try {
    id = new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
  } catch {
    return null;
  }
  // Only the one spelling this encoding makes (no `=41` for `A`).
  return encodeKeyToken(id) === token ? id : null;
}

export interface KeyPattern {
  prefix: string;
  suffix: string;
}

/** `agents.{agent}` -> prefix `agents.`, suffix ``; null unless `{agent}` is one whole token. */
export function splitKeyPattern(pattern: string): KeyPattern | null {
  const parts = pattern.split('{agent}');
  if (parts.length !== 2) return null;
  const [prefix, suffix] = parts as [string, string];
  if ((prefix !== '' && !prefix.endsWith('.')) || (suffix !== '' && !suffix.startsWith('.'))) return null;
  const token = /^[A-Za-z0-9_=/-]+$/;
  for (const t of [...prefix.split('.').slice(0, -1), ...suffix.split('.').slice(1)])
    if (!token.test(t)) return null;
  return { prefix, suffix };
}

export function keyOf(p: KeyPattern, agent: string): string {
  return p.prefix + encodeKeyToken(agent) + p.suffix;
}

export function agentOfKey(p: KeyPattern, key: string): string | null {
  if (!key.startsWith(p.prefix) || !key.endsWith(p.suffix) || key.length <= p.prefix.length + p.suffix.length)
    return null;
  const token = key.slice(p.prefix.length, key.length - p.suffix.length);
  return token.includes('.') ? null : decodeKeyToken(token);
}

/** The key filter that matches every agent's key (a NATS subject wildcard). */
export function keyFilter(p: KeyPattern): string {
  return p.prefix + '*' + p.suffix;
}
