// What the detail pane's timeline is drawn from (src/core/report/timeline.ts shapes it): the
// tail of the verdict history (`<stateDir>/history.jsonl`, then its rotated part when the
// tail is short), the journal's entries for the agent, and for a source held in a store the
// agent's key revisions (the code behind `report --key-history`). Bounded: at most
// `maxBytes` of history are read, whatever the file's size; lines of other agents are
// skipped before they are parsed.
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { historyEntryProblem, type HistoryEntry } from '../core/report/history-report.js';
import type { KeyRevision } from '../core/report/timeline.js';
import type { Config } from '../core/types.js';
import type { JournalEntry } from '../core/write/journal-model.js';
import { describeError, isNotFound, showFile } from './fs-errors.js';
import { escapesRoot } from './fsread.js';
import { HISTORY_FILE } from './history.js';
import { keyHistory } from './key-history.js';

/** How much of the history the timeline reads (the newest part). */
export const TIMELINE_HISTORY_BYTES = 2 * 1024 * 1024;

export interface TimelineData {
  history: HistoryEntry[];
  journal: JournalEntry[];
  keys: Record<string, KeyRevision[]>;
  /** What could not be read, one line each (the pane says so). */
  problems: string[];
}

/** The last `max` bytes of a file, from a line start; null when it does not exist. */
async function tail(file: string, max: number): Promise<{ text: string; size: number } | null> {
  let h: fsp.FileHandle;
  try {
    h = await fsp.open(file, 'r');
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
  try {
    const st = await h.stat();
    if (!st.isFile()) throw new Error(`${showFile(file)} is not a file`);
    const from = Math.max(0, st.size - max);
    const buf = Buffer.alloc(Math.min(max, st.size));
    const { bytesRead } = await h.read(buf, 0, buf.length, from);
    let text = buf.subarray(0, bytesRead).toString('utf8');
    // Started inside a line: that line is not whole.
    if (from > 0) text = text.slice(text.indexOf('\n') + 1);
    return { text, size: st.size };
  } finally {
    await h.close().catch(() => undefined);
  }
}

function linesOf(text: string, agent: string, into: HistoryEntry[]): void {
  const mine = `"agent":${JSON.stringify(agent)}`;
  for (const line of text.split('\n')) {
    if (!line.includes(mine) && !line.includes('"kind":"start"') && !line.includes('"kind":"stop"')) continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      continue; // a torn line (an interrupted append)
    }
    if (historyEntryProblem(v) === null) into.push(v as HistoryEntry);
  }
}

/** The newest history lines that concern `agent` (and the session starts and stops), oldest first. */
export async function readHistoryTail(
  root: string,
  stateDir: string,
  agent: string,
  maxBytes = TIMELINE_HISTORY_BYTES,
): Promise<HistoryEntry[]> {
  const dir = path.resolve(root, stateDir);
  const escaped = escapesRoot(root, dir);
  if (escaped !== null) throw new Error(`the history in ${showFile(dir)} is not read: ${escaped}`);
  const file = path.join(dir, HISTORY_FILE);
  const current = await tail(file, maxBytes);
  const entries: HistoryEntry[] = [];
  const left = maxBytes - (current?.size ?? 0);
  if (left > 0) {
    const rotated = await tail(file + '.1', left);
    if (rotated) linesOf(rotated.text, agent, entries);
  }
  if (current) linesOf(current.text, agent, entries);
  return entries;
}

export interface TimelineSources {
  root: string;
  config: Config;
  readJournal: () => Promise<{ entries: readonly JournalEntry[] }>;
  /** The store sources' key revisions; default: `report --key-history`'s reader. */
  readKeys?: (agent: string) => Promise<Record<string, KeyRevision[]>>;
  maxBytes?: number;
}

/** Everything the timeline of `agent` is drawn from; a part that fails is a problem line, never a throw. */
export async function readTimelineData(src: TimelineSources, agent: string): Promise<TimelineData> {
  const problems: string[] = [];
  const failed = (what: string) => (e: unknown) => {
    problems.push(`${what}: ${e instanceof Error ? e.message : describeError(e)}`);
    return null;
  };
  const hasStore = src.config.sources.some((s) => s.store !== undefined);
  const readKeys = src.readKeys ?? ((a: string) => keyHistory(src.root, src.config, a));
  const [history, journal, keys] = await Promise.all([
    readHistoryTail(src.root, src.config.stateDir, agent, src.maxBytes).catch(failed('the history')),
    src.readJournal().catch(failed('the journal')),
    hasStore ? readKeys(agent).catch(failed('the key history')) : Promise.resolve({}),
  ]);
  return {
    history: history ?? [],
    journal: (journal?.entries ?? []).filter((e) => e.agent === agent),
    keys: keys ?? {},
    problems,
  };
}
