// `sync-tui init`: write a commented sync-tui.config.yaml for the layout found under the root.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE, parseConfig } from '../core/config/config.js';
import { configYaml, templateConfig, TEMPLATE_LAYOUT } from '../core/config/config-writer.js';
import { formatIso } from '../core/time.js';
import type { Config } from '../core/types.js';
import { findLayout, UsageError } from '../shell/probe.js';
import { writeFileAtomic } from './snapshot.js';
import { backupConfig, configDiff, readExisting } from './init-existing.js';

export interface InitOptions {
  root: string;
  force?: boolean;
  print?: boolean;
}

/**
 * The config text for a root: the detected layout, or (with `force`) a template with
 * placeholder paths when nothing is recognised.
 */
export function initConfigText(
  root: string,
  force: boolean,
  now: number,
): { text: string; layout: string; sources: string[] } {
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
  if (!back.ok)
    throw new Error(
      `the written config does not parse: ${back.diagnostics[0]?.message ?? 'unknown problem'}`,
    );
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
    const keep = existing.loads
      ? 'check and the live view use it as it is'
      : 'fix it by hand (see the README)';
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
    err.write(
      `sync-tui: ${target} exists and ${existing.state}; ${diff === '' ? 'init would write the same text' : 'above: what init would change in it'} (nothing written)\n`,
    );
    return 0;
  }
  let link: fs.Stats | undefined;
  try {
    link = fs.lstatSync(target);
  } catch {
    link = undefined;
  }
  if (existing && !opts.force) {
    const keep = existing.loads
      ? 'check and the live view use it as it is'
      : 'fix it by hand (see the README)';
    throw new UsageError(
      `${target} exists and ${existing.state}; ${keep}. To replace it with what init found pass --force (a backup is kept); --print shows the difference first.`,
    );
  }
  const backup = existing ? backupConfig(target, existing.text, now) : null;
  const written = writeFileAtomic(link?.isSymbolicLink() ? fs.realpathSync(target) : target, text, {
    noClobber: !opts.force,
  });
  if (!written) throw new UsageError(`${target} appeared while writing it; pass --force to overwrite it`);
  const what =
    layout === TEMPLATE_LAYOUT
      ? 'a template (no known layout found: edit the paths in it)'
      : `the detected layout ${layout}`;
  const kept = backup ? `The config that was there is kept as ${backup}\n` : '';
  out.write(
    `wrote ${target}: ${what}; sources ${sources.join(', ')}.\n${kept}Edit it, then run: sync-tui check --root ${root}\n`,
  );
  return 0;
}
