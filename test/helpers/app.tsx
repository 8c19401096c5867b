// Mounting the App over a FakeEngine in ink-testing-library, and reading rows back out of
// frames. Shared by the UI tests.
import { render } from 'ink-testing-library';
import React from 'react';
import { App, type AppProps } from '../../src/ui/App.js';
import { FakeEngine } from './fake-engine.js';
import { frameOf, waitForFrame, waitForInput, type Rendered } from './ink.js';
import { T0 } from './workspace.js';

export interface Mounted {
  r: Rendered;
  engine: FakeEngine;
  bells: number[];
  snapshots: string[];
  frame(): string;
  rerender(props?: Partial<AppProps>): void;
}

export const SIZE = { columns: 120, rows: 30 };

export async function mount(props: Partial<AppProps> = {}, engine = new FakeEngine()): Promise<Mounted> {
  const bells: number[] = [];
  const snapshots: string[] = [];
  const base: AppProps = {
    engine,
    writeSnapshot: async (text, format = 'text') => {
      snapshots.push(text);
      return `/srv/swarm/.sync-tui/snapshots/snapshot-${snapshots.length}.${format === 'text' ? 'txt' : format}`;
    },
    size: SIZE,
    clock: () => engine.now,
    bell: () => bells.push(engine.getSnapshot().seq),
    highlightMs: 60_000,
  };
  const el = (p: Partial<AppProps>) => <App {...base} {...props} {...p} />;
  const r = render(el({}));
  await waitForFrame(r.lastFrame, (f) => f.includes('AGENT'));
  await waitForInput(r);
  return { r, engine, bells, snapshots, frame: () => frameOf(r), rerender: (p = {}) => r.rerender(el(p)) };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The table row of an agent (the gutter is two characters: selection and mark). */
export function row(frame: string, id: string): string | undefined {
  const re = new RegExp(`^..${escapeRe(id)}(?![\\w-])`);
  return frame.split('\n').find((l) => re.test(l));
}

/** The id in the selected row. */
export function selectedId(frame: string): string | undefined {
  const line = frame.split('\n').find((l) => l.startsWith('›'));
  return line?.slice(2).split(/\s+/)[0];
}

/** Agent ids in the table, top to bottom. */
export function rowIds(frame: string): string[] {
  return frame
    .split('\n')
    .filter((l) => /^[› ][● ]\S/.test(l) && !l.includes('AGENT'))
    .map((l) => l.slice(2).split(/\s+/)[0]!)
    .filter((id) => /^Agent-\d+$/.test(id));
}

export function statusLine(frame: string): string {
  const lines = frame.split('\n');
  return lines[lines.length - 2] ?? '';
}

export function hintLine(frame: string): string {
  const lines = frame.split('\n');
  return lines[lines.length - 1] ?? '';
}

export { T0 };
