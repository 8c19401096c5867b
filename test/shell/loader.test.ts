// The live view's start (src/shell/loader.ts): the first screenful equals the first rows of
// the complete picture, the header counts what is read, and the engine takes over.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { render } from 'ink-testing-library';
import React from 'react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorkspace } from '../../bench/workspace.js';
import type { Config } from '../../src/core/types.js';
import { Engine } from '../../src/shell/engine.js';
import { LoadingEngine, previewSnapshot } from '../../src/shell/loader.js';
import { loadConfig } from '../../src/shell/probe.js';
import { App } from '../../src/ui/App.js';
import { renderFirstFrame } from '../../src/core/report/first-frame.js';
import { waitForFrame } from '../helpers/ink.js';

let root = '';
let config: Config;
const NOW = Date.now();
const clock = () => NOW;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-tui-loader-'));
  await generateWorkspace(root, { agents: 300, registry: 'lagging' });
  // An agent only the registry knows, and one only the log knows, both early in id order.
  const regFile = path.join(root, 'coordination_system_state.json');
  const reg = JSON.parse(fs.readFileSync(regFile, 'utf8')) as {
    onboarding_status: Record<string, unknown>;
    agent_fsm_states: Record<string, unknown>;
  };
  reg.onboarding_status['Agent-0'] = true;
  reg.agent_fsm_states['Agent-0'] = 'idle';
  fs.writeFileSync(regFile, JSON.stringify(reg, null, 2));
  fs.appendFileSync(
    path.join(root, 'events.jsonl'),
    JSON.stringify({ agent: 'Agent-00', type: 'heartbeat', at: new Date(NOW - 1000).toISOString() }) + '\n',
  );
  config = loadConfig(root);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('previewSnapshot', () => {
  it('reconciles the first agents in id order exactly as the whole load does', async () => {
    const engine = await Engine.open(root, config, { clock });
    const full = engine.getSnapshot();
    await engine.close();
    const preview = previewSnapshot(root, config, { limit: 40, clock })!;
    expect(preview.loading).toEqual({ read: expect.any(Number), total: 300 });
    expect(preview.loading!.read).toBeLessThanOrEqual(40);
    expect(preview.recon.agents.length).toBe(40);
    expect(preview.recon.agents).toEqual(full.recon.agents.slice(0, 40));
    expect(full.loading).toBeUndefined();
  });

  it('waits for the engine when the event log is too large to read twice', () => {
    expect(previewSnapshot(root, config, { maxLogBytes: 10 })).toBeNull();
  });
});

describe('LoadingEngine', () => {
  it('shows the partial picture with its count, then the engine, and actions wait for it', async () => {
    const loading = new LoadingEngine(root, config, clock);
    expect(loading.getSnapshot().loading).toEqual({ read: 0, total: 0 });
    const r = render(
      React.createElement(App, {
        engine: loading,
        writeSnapshot: async () => '',
        size: { columns: 160, rows: 30 },
        clock,
      }),
    );
    await waitForFrame(r.lastFrame, (f) => f.includes('reading…'));
    loading.show(previewSnapshot(root, config, { limit: 40, clock })!);
    const partial = await waitForFrame(
      r.lastFrame,
      (f) => /reading… \d+ of 300 status files/.test(f) && /Agent-1\s/.test(f),
    );
    expect(partial).toContain('40 agents');
    const resolved = loading.resolve(['Agent-1'], { dryRun: true });
    const engine = await Engine.open(root, config, { clock });
    loading.attach(engine);
    const complete = await waitForFrame(r.lastFrame, (f) => f.includes('302 agents'));
    expect(complete).not.toContain('reading…');
    expect(loading.getSnapshot()).toBe(engine.getSnapshot());
    expect((await resolved).dryRun).toBe(true);
    r.unmount();
    await loading.close();
    await engine.close();
  });
});

/** The frame without the SGR, erase and cursor-home sequences the first paint writes itself. */
const ownCodes = (s: string) => s.replace(/\u001b\[[0-9;]*[mKJH]/g, '');

describe('the first paint (renderFirstFrame over the preview)', () => {
  const HOSTILE = 'Agent-0\u001b[2J\u001b]52;c;AAAA\u0007';
  const frame = (width: number, height: number, color = true, hostile = false) => {
    const preview = previewSnapshot(root, config, { limit: 40, clock })!;
    if (hostile) preview.recon.agents[0] = { ...preview.recon.agents[0]!, id: HOSTILE };
    const text = renderFirstFrame({
      root,
      config,
      recon: preview.recon,
      now: NOW,
      width,
      height,
      color,
      loading: preview.loading!,
    });
    return { preview, text, lines: ownCodes(text).split('\r\n') };
  };

  it('draws the title, how much is read and the first rows in id order, as many as fit', () => {
    const { preview, lines } = frame(140, 12);
    expect(lines).toHaveLength(12);
    expect(lines[0]).toContain(' sync-tui ');
    expect(lines[1]).toBe(`reading… ${preview.loading!.read} of 300 status files`);
    expect(lines[3]).toMatch(/^ {2}AGENT\s+.*VERDICT/);
    // The rows are the preview's first agents, two columns in (the selection marker's place).
    const shown = preview.recon.agents.slice(0, 8);
    shown.forEach((a, i) => expect(lines[4 + i]!.startsWith(`  ${a.id} `)).toBe(true));
    expect(shown[0]!.id).toBe('Agent-0');
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(140);
  });

  it('writes no escape sequence of its own from an agent id, with colour or without', () => {
    for (const color of [true, false]) {
      const { text, lines } = frame(100, 40, color, true);
      expect(lines[4]).toContain('Agent-0');
      expect(ownCodes(text)).not.toContain('\u001b');
      expect(text).not.toContain('\u0007');
      if (!color) expect(text).not.toMatch(/\u001b\[[0-9;]*m/);
    }
  });

  it('fits a tiny terminal: never more lines than rows', () => {
    expect(frame(20, 1).lines).toHaveLength(1);
    expect(frame(20, 3).lines).toHaveLength(3);
  });
});
