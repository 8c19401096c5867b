// The engine on a per-agent event log (`runtime/agent_logs/{agent}.log.jsonl`), discovered
// with no config: appended lines, a new agent's log, and live updates through real chokidar.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/shell/engine.js';
import { loadConfig } from '../../src/shell/probe.js';
import { FIXTURES, tempDir } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function workspace(): string {
  const root = tempDir('sync-tui-agentlogs-');
  fs.cpSync(path.join(FIXTURES, 'discovery', 'registry-subfolder'), root, { recursive: true });
  cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
  return root;
}

async function open(root: string, watch: boolean): Promise<Engine> {
  const engine = await Engine.open(root, loadConfig(root), { watch, quietMs: 20, maxWaitMs: 100 });
  cleanup.push(() => engine.close());
  return engine;
}

const realtime = (engine: Engine, id: string) =>
  engine.getSnapshot().recon.agents.find((a) => a.id === id)?.observations['realtime'];
const line = (agent: string, status: string) =>
  JSON.stringify({ agent_id: agent, status, last_updated: '2025-01-28T00:00:00Z' }) + '\n';

describe('Engine with one event log per agent', () => {
  it('reads each agent its own file, then what is appended to it and a new agent\u2019s file', async () => {
    const root = workspace();
    const engine = await open(root, false);
    expect(realtime(engine, 'Agent-2')?.fields['status']?.value).toBe('ONBOARDED');
    expect(realtime(engine, 'Agent-SRC-1')?.present).toBe(false);
    fs.appendFileSync(path.join(root, 'runtime/agent_logs/Agent-2.log.jsonl'), line('Agent-2', 'IDLE'));
    fs.writeFileSync(
      path.join(root, 'runtime/agent_logs/Agent-SRC-1.log.jsonl'),
      line('Agent-SRC-1', 'BLOCKED'),
    );
    engine.applyChanges(['runtime/agent_logs/Agent-2.log.jsonl', 'runtime/agent_logs']);
    expect(realtime(engine, 'Agent-2')?.fields['status']?.value).toBe('IDLE');
    expect(realtime(engine, 'Agent-SRC-1')?.fields['status']?.value).toBe('BLOCKED');
    // A line naming another agent inside Agent-1's file is still Agent-1's: the file says whose it is.
    fs.appendFileSync(path.join(root, 'runtime/agent_logs/Agent-1.log.jsonl'), line('Agent-3', 'ERROR'));
    engine.applyChanges(['runtime/agent_logs/Agent-1.log.jsonl']);
    expect(realtime(engine, 'Agent-1')?.fields['status']?.value).toBe('ERROR');
    expect(realtime(engine, 'Agent-3')?.fields['status']?.value).toBe('ACTIVE');
  });

  it('follows appends live through the watcher', async () => {
    const root = workspace();
    const engine = await open(root, true);
    fs.appendFileSync(path.join(root, 'runtime/agent_logs/Agent-3.log.jsonl'), line('Agent-3', 'BLOCKED'));
    await waitFor(() => realtime(engine, 'Agent-3')?.fields['status']?.value === 'BLOCKED', {
      timeoutMs: 10_000,
      what: 'the appended line',
    });
    fs.rmSync(path.join(root, 'runtime/agent_logs/Agent-3.log.jsonl'));
    engine.applyChanges(['runtime/agent_logs']);
    expect(realtime(engine, 'Agent-3')?.present).toBe(false);
  });
});
