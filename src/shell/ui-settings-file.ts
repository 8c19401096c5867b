// `<state dir>/ui.json`: the live view's settings per root (src/core/tui/ui-settings.ts),
// read once at start (bounded; a bad file is a note, never a crash) and replaced
// atomically (temp file, rename) when a setting changes. README.md "Keys and screen".
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import {
  MAX_UI_SETTINGS_BYTES,
  parseSettings,
  UI_SETTINGS_FILE,
  type ParsedSettings,
} from '../core/tui/ui-settings.js';
import { sanitizeText } from '../core/sanitize.js';
import { tempName } from './atomic.js';
import { escapesRoot, readBounded } from './fsread.js';

export function uiSettingsPath(stateDir: string): string {
  return path.join(stateDir, UI_SETTINGS_FILE);
}

/** The saved settings of the root; a missing file is no settings and no problem. */
export function loadUiSettings(root: string, stateDir: string): ParsedSettings {
  const rel = uiSettingsPath(stateDir);
  const got = readBounded(root, rel, MAX_UI_SETTINGS_BYTES);
  if (!got.ok)
    return {
      settings: {},
      problems: got.missing
        ? []
        : [`${sanitizeText(rel)}: ${sanitizeText(got.diagnostic.message)}; saved settings ignored`],
    };
  const parsed = parseSettings(got.text, rel);
  return { settings: parsed.settings, problems: parsed.problems.map((p) => sanitizeText(p)) };
}

/** Writes the settings text; resolves to an error message, or null when written. */
export async function saveUiSettings(root: string, stateDir: string, text: string): Promise<string | null> {
  const rel = uiSettingsPath(stateDir);
  const abs = path.resolve(root, rel);
  const why = escapesRoot(root, path.dirname(abs));
  if (why !== null) return `${rel} is not written: ${why}`;
  const tmp = path.join(path.dirname(abs), tempName(UI_SETTINGS_FILE));
  try {
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(tmp, text, { flag: 'wx' });
    await rename(tmp, abs);
    return null;
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    return `${rel} is not written: ${e instanceof Error ? e.message : String(e)}`;
  }
}
