// Validation of sync-tui.config.yaml's node tree (README.md "Configuration"): the Checker
// that collects messages with line and column, value readers, and the did-you-mean
// suggestion. Pure; used by src/core/config/config.ts and config-sources.ts.
import { isMap, isScalar, isSeq, LineCounter, Scalar, type Node as YamlNode } from 'yaml';
import { inert } from '../sanitize.js';
import { parseDuration } from '../time.js';
import type { Diagnostic, TimeZonePolicy } from '../types.js';

/** Parse a time-zone setting: `local`, `UTC`/`Z`, or a fixed offset like `+02:00`. */
export function parseTimeZone(text: string): TimeZonePolicy | null {
  const t = text.trim();
  if (t.toLowerCase() === 'local') return 'local';
  if (/^(utc|z|gmt)$/i.test(t)) return 'UTC';
  const m = /^(?:utc)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(t);
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? '0');
  if (hours > 14 || minutes > 59) return null;
  return { offsetMinutes: (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes) };
}

/** Stand-ins for values that are not written at all (`{a}`, `? a`): null scalars placed right
 * after their key, so that a message about them names a line and column. Where an absent
 * value was accepted before, `isAbsent` keeps it so. */
const absentValues = new WeakSet<object>();
function absentAfter(key: YamlNode): YamlNode {
  const s = new Scalar(null);
  const end = key.range?.[1];
  if (end !== undefined) s.range = [end, end, end];
  absentValues.add(s);
  return s;
}
export function isAbsent(node: YamlNode | null): boolean {
  return node === null || absentValues.has(node);
}

/** Validation of a YAML node tree against what the config may hold, collecting located messages. */
export class Checker {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    private readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  error(node: YamlNode | null | undefined, message: string): void {
    const d: Diagnostic = { severity: 'error', code: 'config', message: inert(message), file: this.file };
    // No node or no place (an empty document): the start of the file.
    const offset = node?.range?.[0] ?? 0;
    if (offset !== undefined) {
      const pos = this.lines.linePos(offset);
      d.line = pos.line;
      d.column = pos.col;
    }
    this.diagnostics.push(d);
  }

  /** Entries of a mapping, reporting keys that are not allowed (with a suggestion). */
  entries(
    node: unknown,
    where: string,
    allowed: readonly string[] | null,
  ): [string, YamlNode | null, YamlNode][] {
    if (!isMap(node)) {
      this.error(node as YamlNode, `${where}: expected a mapping of keys`);
      return [];
    }
    const out: [string, YamlNode | null, YamlNode][] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode;
      const key = isScalar(keyNode) ? String(keyNode.value) : null;
      if (key === null) {
        this.error(keyNode, `${where}: keys must be plain words`);
        continue;
      }
      if (allowed && !allowed.includes(key)) {
        const hint = suggest(key, allowed);
        this.error(
          keyNode,
          `${where}: unknown key '${key}'${hint ? `; did you mean '${hint}'?` : ''} (expected one of: ${allowed.join(', ')})`,
        );
        continue;
      }
      out.push([key, (pair.value as YamlNode | null) ?? absentAfter(keyNode), keyNode]);
    }
    return out;
  }

  string(node: YamlNode | null, where: string): string | null {
    if (isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '') return node.value;
    this.error(node, `${where}: expected text`);
    return null;
  }

  boolean(node: YamlNode | null, where: string): boolean | null {
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    this.error(node, `${where}: expected true or false`);
    return null;
  }

  /** A string or a list of strings. */
  strings(node: YamlNode | null, where: string): string[] | null {
    if (isScalar(node) && typeof node.value === 'string') return [node.value];
    if (isSeq(node)) {
      const out: string[] = [];
      for (const item of node.items) {
        if (isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number'))
          out.push(String(item.value));
        else this.error(item as YamlNode, `${where}: expected text in the list`);
      }
      return out;
    }
    if (isMap(node)) {
      this.error(node, `${where}: expected text or a list of text (quote paths holding {agent} inside [ ])`);
      return null;
    }
    this.error(node, `${where}: expected text or a list of text`);
    return null;
  }

  duration(node: YamlNode | null, where: string): number | null {
    const v = isScalar(node) ? node.value : undefined;
    const ms = typeof v === 'number' ? v * 1000 : typeof v === 'string' ? parseDuration(v) : null;
    if (ms === null || ms < 0) {
      this.error(node, `${where}: expected a duration such as 30s, 15m, 2h or 1d`);
      return null;
    }
    return ms;
  }
}

export function suggest(word: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const o of options) {
    const d = editDistance(word.toLowerCase(), o.toLowerCase());
    if (d < bestScore) {
      bestScore = d;
      best = o;
    }
  }
  return bestScore <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
