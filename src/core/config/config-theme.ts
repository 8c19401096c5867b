// The `theme:` block of sync-tui.config.yaml (README.md "Theme"): a colour for any of the
// named tokens of src/core/view/theme-tokens.ts, as a terminal colour name or #hex. Pure.
import type { SectionChecker } from './config-store.js';
import { isScalar, type Node as YamlNode } from 'yaml';
import { parseColor, TOKENS, type Token } from '../view/theme-tokens.js';

const EXPECTED =
  'a colour name (black, red, green, yellow, blue, magenta, cyan, white, gray, or one of them + Bright, e.g. cyanBright) or #rgb / #rrggbb in quotes';

export function readTheme(check: SectionChecker, node: YamlNode | null): Partial<Record<Token, string>> {
  const out: Partial<Record<Token, string>> = {};
  for (const [token, value] of check.entries(node, 'theme', TOKENS)) {
    const text = isScalar(value) && typeof value.value === 'string' ? value.value : null;
    const color = text === null ? null : parseColor(text);
    // `#d7af00` unquoted is a YAML comment: the value is then empty.
    if (color === null)
      check.error(
        value,
        `theme.${token}: ${text === null ? 'expected' : `'${text}' is not a colour; expected`} ${EXPECTED}`,
      );
    else out[token as Token] = color;
  }
  return out;
}
