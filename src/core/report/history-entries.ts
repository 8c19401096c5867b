// The lines of `<stateDir>/history.jsonl` that `watch` and the live view write, and reading
// JSON-lines files back with a diagnostic per bad line (docs/DESIGN.md; README.md "report").
import type { Verdict } from '../types.js';
import { VERDICTS } from '../types.js';
import type { JsonlReading } from '../read/parse/jsonl-entries.js';
import { valuesLineProblem, type HistoryValues } from './value-changes.js';

// ---------------------------------------------------------------------------------------
// The history file's lines

export interface HistoryStart {
  v: 1;
  kind: 'start';
  at: string;
  pid: number;
  agents: number;
  /** Agents not in sync when watch started, with their verdicts. */
  notInSync: Record<string, Verdict>;
  /** The first reason of each of those verdicts (bounded in length). */
  reasons?: Record<string, string>;
}
export interface HistoryStop {
  v: 1;
  kind: 'stop';
  at: string;
  pid: number;
}
export interface HistoryVerdict {
  v: 1;
  kind: 'verdict';
  at: string;
  agent: string;
  before: Verdict | null;
  after: Verdict | null;
  reasons: string[];
  /** Set when watch's own resolve caused this transition. */
  action?: string;
}
export interface HistorySource {
  v: 1;
  kind: 'source';
  at: string;
  source: string;
  healthy: boolean;
  error: string | null;
}
export interface HistoryFlap {
  v: 1;
  kind: 'flapping' | 'resumed';
  at: string;
  agent: string;
  fields?: string[];
  message: string;
}
/** Which source values changed (src/core/report/value-changes.ts; the timeline reads them, the report does not). */
export type { HistoryValues } from './value-changes.js';
export type HistoryEntry =
  HistoryStart | HistoryStop | HistoryVerdict | HistorySource | HistoryFlap | HistoryValues;

const HISTORY_KINDS = new Set(['start', 'stop', 'verdict', 'source', 'flapping', 'resumed', 'values']);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isVerdictOrNull = (v: unknown): boolean =>
  v === null || (isStr(v) && (VERDICTS as readonly string[]).includes(v));

/** Why `v` is not a history entry, or null when it is one. */
export function historyEntryProblem(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not an object';
  const e = v as Record<string, unknown>;
  if (e['v'] !== 1) return `unsupported version ${JSON.stringify(e['v'] ?? null)}`;
  if (!isStr(e['kind']) || !HISTORY_KINDS.has(e['kind'])) return '"kind" is not a known kind';
  if (!isStr(e['at']) || Number.isNaN(Date.parse(e['at']))) return '"at" is not an ISO time';
  switch (e['kind']) {
    case 'start':
      return typeof e['notInSync'] === 'object' && e['notInSync'] !== null && !Array.isArray(e['notInSync'])
        ? null
        : '"notInSync" is not an object';
    case 'stop':
      return null;
    case 'verdict':
      if (!isStr(e['agent'])) return '"agent" is not a string';
      if (!isVerdictOrNull(e['before']) || !isVerdictOrNull(e['after']))
        return '"before"/"after" are not verdicts';
      return null;
    case 'source':
      return isStr(e['source']) && typeof e['healthy'] === 'boolean' ? null : '"source"/"healthy" missing';
    case 'values':
      return valuesLineProblem(e);
    default:
      return isStr(e['agent']) ? null : '"agent" is not a string';
  }
}

/** How the history's lines are read (src/core/read/parse/jsonl-entries.ts): its codes and messages. */
export function historyReading(label: string): JsonlReading {
  return {
    label,
    check: historyEntryProblem,
    codes: { torn: 'torn-line', corrupt: 'corrupt-line', bad: 'bad-entry' },
    badEntry: (line, problem) => `line ${line}: ${problem}; skipped`,
  };
}
