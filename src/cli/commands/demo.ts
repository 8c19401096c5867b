// sync-tui demo: a simulated workspace and the live view over it.
import type { Command } from 'commander';
import { colorOption, quietOption, readOnlyOption } from '../options.js';
import type { Run } from './command.js';

export function register(program: Command, run: Run): void {
  program
    .command('demo')
    .description(
      'a temporary workspace with a simulator that keeps changing agents, and the live view over it',
    )
    .option('--agents <n>', 'how many agents', '12')
    .option('--seed <n>', 'seed of the simulation, to replay the same run')
    .option('--interval <duration>', 'time between simulation steps', '700ms')
    .option('--keep', 'keep the workspace folder on exit (its path is printed)')
    .addOption(readOnlyOption('hide and refuse every write'))
    .addOption(colorOption())
    .addOption(quietOption('no terminal bell (the demo starts with it off anyway; b turns it on)'))
    .option(
      '--nats',
      'status values and the registry in the buckets of a throwaway local nats-server (needs nats-server installed)',
    )
    .option(
      '--headless <duration>',
      'no live view: run the simulator for this long and print the folder (with --keep, to try check/resolve on it)',
    )
    .addHelpText(
      'after',
      `
The workspace has the incident's shape: agent_workspaces/{agent}/status.json, a coordinator
registry (coordination_system_state.json) that falls behind, and an events.jsonl log.
Agents move through their FSM, heartbeat, and now and then write a broken file.

Examples:
  sync-tui demo
  sync-tui demo --agents 2000 --seed 7
  sync-tui demo --headless 10s --keep      # then: sync-tui check --root <printed folder>
  sync-tui demo --nats                     # the same swarm through NATS JetStream buckets`,
    )
    .action(async (opts) => {
      // Through a variable: the bundle defines process.env.NODE_ENV as "production".
      const env = process.env;
      env['NODE_ENV'] ??= 'production';
      const { runDemo } = await import('../demo.js');
      run(await runDemo(opts));
    });
}
