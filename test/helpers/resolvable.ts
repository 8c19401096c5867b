// Workspaces in the incident's layout, with fresh stamps, that a resolve can bring in sync:
// - twoAgents: two agents, whose registry value for Agent-2's fsm a test sets ('ready'
//   agrees with the status file, anything else drifts);
// - resolvable: the incident fixture keeping only the agents a resolve can fix (2, 3, 4
//   drift; 6, 7 agree).
// Each registers its removal in the caller's cleanup list.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyFixture, tempDir } from './cli.js';

export const REGISTRY = 'coordination_system_state.json';

export function twoAgents(agent2Fsm: string, cleanup: (() => void | Promise<void>)[]): string {
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

/** Agents of the incident fixture a resolve cannot fix (missing, invalid, no registry entry). */
const UNFIXABLE = ['Agent-1', 'Agent-5', 'Agent-8', 'Agent-9', 'Agent-11'];

/** The incident fixture with only agents a resolve can fix (2, 3, 4 drift; 6, 7 agree), fresh stamps. */
export function resolvable(cleanup: (() => void | Promise<void>)[]): string {
  const root = copyFixture('incident');
  cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
  for (const id of UNFIXABLE) fs.rmSync(path.join(root, 'agent_workspaces', id), { recursive: true });
  const regFile = path.join(root, REGISTRY);
  const reg = JSON.parse(fs.readFileSync(regFile, 'utf8'));
  for (const id of [...UNFIXABLE, 'Agent-10']) {
    delete reg.onboarding_status[id];
    delete reg.agent_fsm_states[id];
  }
  fs.writeFileSync(regFile, JSON.stringify(reg, null, 2) + '\n');
  const now = new Date().toISOString();
  for (const id of fs.readdirSync(path.join(root, 'agent_workspaces'))) {
    const f = path.join(root, 'agent_workspaces', id, 'status.json');
    fs.writeFileSync(
      f,
      fs
        .readFileSync(f, 'utf8')
        .replace(/"(last_updated|last_checkin|last_activity)": "[^"]*"/g, `"$1": "${now}"`),
    );
  }
  return root;
}
