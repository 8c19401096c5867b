// A two-agent workspace in the incident's layout with fresh stamps, whose registry value
// for Agent-2's fsm a test sets: 'ready' agrees with the status file, anything else drifts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './cli.js';

export const REGISTRY = 'coordination_system_state.json';

export function twoAgents(agent2Fsm: string, cleanup: (() => void)[]): string {
  const root = tempDir('sync-tui-two-');
  cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
  const now = new Date().toISOString();
  for (const [id, fsm] of [
    ['Agent-1', 'IDLE'],
    ['Agent-2', 'READY'],
  ] as const) {
    fs.mkdirSync(path.join(root, 'agent_workspaces', id), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'agent_workspaces', id, 'status.json'),
      JSON.stringify({ agent_id: id, status: 'ONBOARDED', fsm_state: fsm, last_updated: now }, null, 2),
    );
  }
  setAgent2(root, agent2Fsm);
  return root;
}

/** Replace the registry (atomically, as a coordinator would) with Agent-2's fsm set to `fsm`. */
export function setAgent2(root: string, fsm: string): void {
  const reg = {
    last_updated: new Date().toISOString(),
    onboarding_status: { 'Agent-1': true, 'Agent-2': true },
    agent_fsm_states: { 'Agent-1': 'idle', 'Agent-2': fsm },
  };
  const file = path.join(root, REGISTRY);
  fs.writeFileSync(file + '.tmp', JSON.stringify(reg, null, 2));
  fs.renameSync(file + '.tmp', file);
}
