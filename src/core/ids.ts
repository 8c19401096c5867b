// Agent ids come from folder names, registry keys and event lines: untrusted text that
// must never become a path outside the root.

/** Why an id cannot be used, or null when it is safe. */
export function unsafeAgentId(id: string): string | null {
  if (id.length === 0) return 'empty agent id';
  if (id.length > 200) return 'agent id longer than 200 characters';
  if (id === '.' || id === '..') return `agent id '${id}' names a folder`;
  if (/[/\\]/.test(id)) return 'agent id holds a path separator';

  if (/[\x00-\x1f\x7f-\x9f]/.test(id)) return 'agent id holds control characters';
  return null;
}

/** A status-file pattern split around its `{agent}` segment. */
export interface AgentPattern {
  /** Folder holding one entry per agent, relative to the root ('' for the root). */
  dir: string;
  /** The `{agent}` segment's text before and after the id (`{agent}.json` -> '', '.json'). */
  prefix: string;
  suffix: string;
  /** Path below the agent's entry (`status.json`), or '' when the entry is the file. */
  rest: string;
}

export function splitAgentPattern(pattern: string): AgentPattern | null {
  const segments = pattern.split('/').filter((s) => s !== '' && s !== '.');
  const at = segments.findIndex((s) => s.includes('{agent}'));
  if (at < 0 || segments.slice(at + 1).some((s) => s.includes('{agent}'))) return null;
  const seg = segments[at]!;
  const i = seg.indexOf('{agent}');
  return {
    dir: segments.slice(0, at).join('/'),
    prefix: seg.slice(0, i),
    suffix: seg.slice(i + '{agent}'.length),
    rest: segments.slice(at + 1).join('/'),
  };
}

/** The agent id an entry name stands for under a pattern, or null when it does not match. */
export function agentFromEntry(p: AgentPattern, name: string): string | null {
  if (!name.startsWith(p.prefix) || !name.endsWith(p.suffix)) return null;
  const id = name.slice(p.prefix.length, name.length - p.suffix.length);
  if (id === '' || name.length < p.prefix.length + p.suffix.length) return null;
  return id;
}

/** The file of one agent under a pattern (relative to the root). */
export function agentFile(p: AgentPattern, agent: string): string {
  return [p.dir, `${p.prefix}${agent}${p.suffix}`, p.rest].filter((s) => s !== '').join('/');
}
