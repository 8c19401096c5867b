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
