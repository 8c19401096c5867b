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
import { backupConfig, configDiff, readExisting } from './init-existing.js';
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

export function runInit(
  opts: InitOptions,
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
  clock: () => number = Date.now,
): number {
  const root = path.resolve(opts.root);
  let st: fs.Stats;
  try {
    st = fs.statSync(root);
  } catch {
    throw new UsageError(`root ${root} does not exist`);
  }
  if (!st.isDirectory()) throw new UsageError(`root ${root} is not a folder`);
  const target = path.join(root, CONFIG_FILE);
  const existing = readExisting(root, target);
  const now = clock();
  let made: ReturnType<typeof initConfigText>;
  try {
    made = initConfigText(root, opts.force === true, now);
  } catch (e) {
    if (!(e instanceof UsageError) || !existing) throw e;
    const keep = existing.loads ? 'check and the live view use it as it is' : 'fix it by hand (see the README)';
    throw new UsageError(
      `${target} exists and ${existing.state}. No known layout found in ${root}, so init could only replace it with a template of placeholders; ` +
        `${keep}. To replace it anyway pass --force (a backup is kept); --print --force shows the difference first.`,
    );
  }
  const { text, layout, sources } = made;
  if (opts.print) {
    if (!existing) {
      out.write(text);
      return 0;
    }
    const diff = configDiff(target, existing.text, text);
    out.write(diff);
    err.write(`sync-tui: ${target} exists and ${existing.state}; ${diff === '' ? 'init would write the same text' : 'above: what init would change in it'} (nothing written)\n`);
    return 0;
  }
  let link: fs.Stats | undefined;
  try {
    link = fs.lstatSync(target);
  } catch {
    link = undefined;
  }
  if (existing && !opts.force) {
    const keep = existing.loads ? 'check and the live view use it as it is' : 'fix it by hand (see the README)';
    throw new UsageError(`${target} exists and ${existing.state}; ${keep}. To replace it with what init found pass --force (a backup is kept); --print shows the difference first.`);
  }
  const backup = existing ? backupConfig(target, existing.text, now) : null;
  const written = writeFileAtomic(link?.isSymbolicLink() ? fs.realpathSync(target) : target, text, { noClobber: !opts.force });
  if (!written) throw new UsageError(`${target} appeared while writing it; pass --force to overwrite it`);
  const what = layout === TEMPLATE_LAYOUT ? 'a template (no known layout found: edit the paths in it)' : `the detected layout ${layout}`;
  const kept = backup ? `The config that was there is kept as ${backup}\n` : '';
  out.write(`wrote ${target}: ${what}; sources ${sources.join(', ')}.\n${kept}Edit it, then run: sync-tui check --root ${root}\n`);
  return 0;
}

export function registerInit(program: Command, run: (code: number) => void): void {
  program
    .command('init')
    .description(`write a commented ${CONFIG_FILE} for the layout detected under the root`)
    .addOption(rootOption())
    .option('--force', 'replace an existing config (a backup is kept); when no layout is detected, write a template to fill in')
    .option('--print', 'print the config to standard output instead of writing it (a diff when one exists)')
    .addHelpText(
      'after',
      `
The config lists every source with its kind, path, field paths, timestamps and the
registry's mapping (true/false lists, spelling), then time zone, stale threshold, journal
folder and policy, each with a comment saying what it means and what else it may be.
It reads back into exactly the layout that was detected, so check gives the same verdicts.

An existing ${CONFIG_FILE} is never overwritten without --force; init says whether it
loads, --force keeps a copy as ${CONFIG_FILE}.bak-<time> and prints its path, and --print
shows the difference (a unified diff) instead of the whole file. When no known layout
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
