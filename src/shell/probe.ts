// The layout probe over the real file system, and config loading for every command.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE, parseConfig } from '../core/config/config.js';
import { detectLayout, type LayoutProbe } from '../core/config/detect.js';
import { discover, layoutOfConfig } from '../core/config/discover/index.js';
import { discoveryInput } from './discover-probe.js';
import { detectFormat, parseDocument } from '../core/read/parse.js';
import type { Config, Diagnostic } from '../core/types.js';
import { ExitError } from './exit-error.js';
import { listDir, MAX_REGISTRY_BYTES, readBounded } from './fsread.js';

export function fsProbe(root: string): LayoutProbe {
  return {
    entries(dir) {
      const list = listDir(root, dir);
      return list === null ? null : list.map((e) => ({ name: e.name, dir: e.isDirectory() }));
    },
    read(rel) {
      // Layout detection reads candidate registries, which grow with the fleet.
      const got = readBounded(root, rel, MAX_REGISTRY_BYTES);
      if (!got.ok) return undefined;
      const parsed = parseDocument(got.text, detectFormat(rel, got.text), {
        file: rel,
        maxBytes: MAX_REGISTRY_BYTES,
      });
      return parsed.ok ? parsed.value : undefined;
    },
  };
}

/** A problem that stops a command before it starts: exit code 2. */
/** A usage, config or root error: exit code 2 (src/shell/exit-error.ts). */
export class UsageError extends ExitError {
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[] = [],
  ) {
    super(2, message);
  }
}

/** The config for a root: `--config`, else sync-tui.config.yaml under the root, else detection. */
export function loadConfig(root: string, configPath?: string): Config {
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(root);
  } catch {
    throw new UsageError(`root ${root} does not exist`);
  }
  if (!st.isDirectory()) throw new UsageError(`root ${root} is not a folder`);
  const file = configPath ? path.resolve(configPath) : path.join(root, CONFIG_FILE);
  if (configPath || fs.existsSync(file)) {
    const got = readBounded(path.dirname(file), path.basename(file), 1024 * 1024);
    if (!got.ok) throw new UsageError(`${file}: ${got.diagnostic.message}`);
    const result = parseConfig(got.text, file);
    if (!result.ok) {
      const first = result.diagnostics[0]!;
      const where = [first.file, first.line, first.column].filter((x) => x !== undefined).join(':');
      const more =
        result.diagnostics.length > 1
          ? ` (and ${result.diagnostics.length - 1} more problem${result.diagnostics.length > 2 ? 's' : ''})`
          : '';
      throw new UsageError(`${where}: ${first.message}${more}`, result.diagnostics);
    }
    return { ...result.config, layout: layoutOfConfig(result.config, 'config') };
  }
  const found = findLayout(root);
  if (!found.ok) {
    throw new UsageError(
      `no ${CONFIG_FILE} in ${root} and no known layout found; ${found.message}. Run 'sync-tui init --force' for a template, or pass --config.`,
    );
  }
  return found.config;
}

export type FoundLayout = { ok: true; config: Config; layout: string } | { ok: false; message: string };

/**
 * The layout under a root with no config: a known layout first (its names are exact), else
 * discovery by content (README.md "Zero config").
 */
export function findLayout(root: string): FoundLayout {
  const detected = detectLayout(fsProbe(root));
  if (detected.ok) {
    const config = detected.config;
    return {
      ok: true,
      layout: detected.layout,
      config: { ...config, layout: layoutOfConfig(config, `known:${detected.layout}`) },
    };
  }
  const found = discover(discoveryInput(root));
  if (found.ok) return { ok: true, layout: 'discovered', config: found.config };
  const notes = found.notes.length > 0 ? ` (${found.notes.join('; ')})` : '';
  return {
    ok: false,
    message: `looked for ${detected.lookedFor.join('; ')}; and by content for ${found.lookedFor.join('; ')}${notes}`,
  };
}
