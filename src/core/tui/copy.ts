// What the copy key (`c` then i, p, v or j) puts on the clipboard, and the OSC 52 sequence
// that carries it to the terminal (README.md "Keys and screen"). Pure: the shell writes the
// sequence to stdout. Only control characters are taken out of the copied text; everything
// else (quotes, spaces, non-ASCII) is copied as it is.
import { agentJson } from '../report/report.js';
import type { AgentState, Config } from '../types.js';

export type CopyKind = 'id' | 'path' | 'value' | 'json';

export const COPY_WORDS: Record<CopyKind, string> = {
  id: 'id',
  path: 'status file path',
  value: 'value',
  json: 'JSON row',
};

/** C0, DEL and C1 control characters (tabs and newlines too: one line is copied). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function stripControls(s: string): string {
  return s.replace(CONTROL, '');
}

/** The status file of the agent: the file read by the first status-files source that has one. */
export function statusFilePath(agent: AgentState, config: Config): string | null {
  for (const spec of config.sources) {
    if (spec.kind !== 'status-files') continue;
    const file = agent.observations[spec.name]?.file;
    if (file) return file;
  }
  return null;
}

function valueText(v: unknown): string {
  if (v === null || v === undefined) return '—';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The agent's verdict and truth, as one line: `drift fsm=IDLE display=idle`. */
export function valueLine(agent: AgentState, config: Config): string {
  const parts: string[] = [agent.verdict];
  for (const f of config.fields) {
    const t = agent.truth[f.name];
    if (t) parts.push(`${f.name}=${valueText(t.value)}`);
  }
  return parts.join(' ');
}

/** The text to copy, or a reason there is none. */
export function copyText(
  kind: CopyKind,
  agent: AgentState,
  config: Config,
): { text: string } | { missing: string } {
  let text: string | null;
  switch (kind) {
    case 'id':
      text = agent.id;
      break;
    case 'path':
      text = statusFilePath(agent, config);
      if (text === null) return { missing: 'no status file is known for this agent' };
      break;
    case 'value':
      text = valueLine(agent, config);
      break;
    case 'json':
      text = JSON.stringify(
        agentJson(
          agent,
          config.fields.map((f) => f.name),
        ),
      );
      break;
  }
  return { text: stripControls(text) };
}

/** Base64 of the text's UTF-8 bytes. */
export function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** The OSC 52 sequence that sets the clipboard (`c`) to the text. */
export function osc52(text: string): string {
  return `\x1b]52;c;${base64Utf8(text)}\x07`;
}
