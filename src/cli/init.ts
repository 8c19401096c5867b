// `sync-tui init`: write a commented sync-tui.config.yaml for the layout found under the root.
import type { Command } from 'commander';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE, parseConfig } from '../core/config.js';
import { configYaml, templateConfig, TEMPLATE_LAYOUT } from '../core/config-writer.js';
import { formatIso } from '../core/time.js';
import type { Config } from '../core/types.js';
import { findLayout, UsageError } from '../shell/probe.js';
import { writeFileAtomic } from './snapshot.js';
import { rootOption } from './options.js';

export interface InitOptions {
  root: string;
  force?: boolean;
  print?: boolean;
}

/**
 * The config text for a root: the detected layout, or (with `force`) a template with
 * placeholder paths when nothing is recognised.
 */
export function initConfigText(root: string, force: boolean, now: number): { text: string; layout: string; sources: string[] } {
  const detected = findLayout(root);
  let layout: string;
  let config: Config;
  if (detected.ok) {
    layout = detected.layout;
    config = detected.config;
  } else if (force) {
    layout = TEMPLATE_LAYOUT;
    config = templateConfig();
  } else {
    throw new UsageError(
      `no known layout found in ${root}; ${detected.message}. ` +
        `Pass --force to write a template to fill in (--print --force to see it first), or write ${CONFIG_FILE} by hand (see the README).`,
    );
  }
  const text = configYaml(config, { layout, now: formatIso(now) });
  // What is written must be what `check` accepts: a config that fails here is our bug.
  const back = parseConfig(text, CONFIG_FILE);
  if (!back.ok) throw new Error(`the written config does not parse: ${back.diagnostics[0]?.message ?? 'unknown problem'}`);
  return { text, layout, sources: config.sources.map((s) => s.name) };
}

export function runInit(opts: InitOptions, out: NodeJS.WritableStream = process.stdout): number {
  const root = path.resolve(opts.root);
  let st: fs.Stats;
  try {
    st = fs.statSync(root);
  } catch {
    throw new UsageError(`root ${root} does not exist`);
  }
  if (!st.isDirectory()) throw new UsageError(`root ${root} is not a folder`);
  const target = path.join(root, CONFIG_FILE);
  const { text, layout, sources } = initConfigText(root, opts.force === true, Date.now());
  if (opts.print) {
    out.write(text);
    return 0;
  }
  let existing: fs.Stats | undefined;
  try {
    existing = fs.lstatSync(target);
  } catch {
    existing = undefined;
  }
  if (existing?.isDirectory()) throw new UsageError(`${target} is a folder; move it away first`);
  if (existing && !opts.force) {
    throw new UsageError(`${target} already exists; pass --force to overwrite it, or --print to see the new config without writing it`);
  }
  const written = writeFileAtomic(existing?.isSymbolicLink() ? fs.realpathSync(target) : target, text, { noClobber: !opts.force });
  if (!written) throw new UsageError(`${target} appeared while writing it; pass --force to overwrite it`);
  const what = layout === TEMPLATE_LAYOUT ? 'a template (no known layout found: edit the paths in it)' : `the detected layout ${layout}`;
  out.write(`wrote ${target}: ${what}; sources ${sources.join(', ')}.\nEdit it, then run: sync-tui check --root ${root}\n`);
  return 0;
}

export function registerInit(program: Command, run: (code: number) => void): void {
  program
    .command('init')
    .description(`write a commented ${CONFIG_FILE} for the layout detected under the root`)
    .addOption(rootOption())
    .option('--force', 'overwrite an existing config; when no layout is detected, write a template to fill in')
    .option('--print', 'print the config to standard output instead of writing it')
    .addHelpText(
      'after',
      `
The config lists every source with its kind, path, field paths, timestamps and the
registry's mapping (true/false lists, spelling), then time zone, stale threshold, journal
folder and policy, each with a comment saying what it means and what else it may be.
It reads back into exactly the layout that was detected, so check gives the same verdicts.

An existing ${CONFIG_FILE} is never overwritten without --force. When no known layout
is found, init exits 2 and says what it looked for; with --force it writes a template
(the generic layout: agents/{agent}/status.json, registry.yaml, events.jsonl) to edit.

Examples:
  sync-tui init --root ./swarm
  sync-tui init --print | less
  sync-tui init --force            # start over from what is detected now

Exit codes: 0 written (or printed), 2 config exists, nothing detected, or a root error.`,
    )
    .action((opts: InitOptions) => run(runInit(opts)));
}
