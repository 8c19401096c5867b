// The `keys:` block of sync-tui.config.yaml (README.md "Keys and screen"): a command of the
// one key table (src/core/tui/keys.ts), by its name or its `:` name, and the key or keys
// that run it instead of the defaults. Checked here: a command that does not exist (with a
// suggestion), a key that is not a key, a key another command already has in the same mode,
// and the keys that cannot be rebound (ctrl-c). Pure.
import type { SectionChecker } from './config-store.js';
import { isScalar, isSeq, type Node as YamlNode } from 'yaml';
import { suggest } from './config-checker.js';
import { BINDINGS } from '../tui/keys.js';
import {
  applyKeyOverrides,
  FIXED_COMMANDS,
  isReservedKey,
  keyClashes,
  keyLabel,
  KEY_WORDS,
  parseKeyText,
  type KeyOverrides,
} from '../tui/key-config.js';
import type { Command, KeySpec } from '../tui/key-types.js';

/** Names a command goes by in `keys:`: its own, and its `:` name (`resolve-all`). */
function commandNames(): Map<string, Command> {
  const names = new Map<string, Command>();
  for (const b of BINDINGS) {
    names.set(b.command, b.command);
    if (b.name !== undefined && !names.has(b.name)) names.set(b.name, b.command);
  }
  return names;
}

function keyTexts(node: YamlNode | null): { text: string; node: YamlNode | null }[] | null {
  const one = (n: YamlNode | null): string | null => {
    if (!isScalar(n)) return null;
    if (typeof n.value === 'string') return n.value;
    // `pick: 5` or `help: 0` arrive as numbers.
    if (typeof n.value === 'number' && Number.isInteger(n.value) && n.value >= 0 && n.value <= 9)
      return String(n.value);
    return null;
  };
  if (isSeq(node)) {
    const out: { text: string; node: YamlNode | null }[] = [];
    for (const item of node.items) {
      const t = one(item as YamlNode);
      if (t === null) return null;
      out.push({ text: t, node: item as YamlNode });
    }
    return out.length > 0 ? out : null;
  }
  const t = one(node);
  return t === null ? null : [{ text: t, node }];
}

/** Read `keys:`; the configured keys of the commands that check out, errors for the rest. */
export function readKeys(check: SectionChecker, node: YamlNode | null): KeyOverrides {
  const names = commandNames();
  const overrides: Partial<Record<Command, KeySpec[]>> = {};
  const where = new Map<Command, { name: string; node: YamlNode | null }>();
  for (const [name, value, keyNode] of check.entries(node, 'keys', null)) {
    const command = names.get(name);
    if (command === undefined) {
      const hint = suggest(name, [...names.keys()]);
      check.error(
        keyNode,
        `keys: no command '${name}'${hint ? `; did you mean '${hint}'?` : ''} (the commands are listed by \`?\` in the live view and in README.md "Keys and screen")`,
      );
      continue;
    }
    const fixed = FIXED_COMMANDS[command];
    if (fixed !== undefined) {
      check.error(keyNode, `keys.${name}: cannot be rebound (${fixed})`);
      continue;
    }
    if (where.has(command)) {
      check.error(keyNode, `keys.${name}: '${where.get(command)!.name}' already sets the keys of ${command}`);
      continue;
    }
    const texts = keyTexts(value);
    if (texts === null) {
      check.error(value, `keys.${name}: expected a key or a list of keys: ${KEY_WORDS}`);
      continue;
    }
    const specs: KeySpec[] = [];
    for (const t of texts) {
      const spec = parseKeyText(t.text);
      if (spec === null) check.error(t.node, `keys.${name}: '${t.text}' is not a key; expected ${KEY_WORDS}`);
      else if (isReservedKey(spec))
        check.error(t.node, `keys.${name}: ctrl-c always quits; it cannot be rebound`);
      else specs.push(spec);
    }
    if (specs.length !== texts.length) continue;
    overrides[command] = specs;
    where.set(command, { name, node: value });
  }
  const changed = [...where.keys()];
  const table = applyKeyOverrides(BINDINGS, overrides);
  const bad = new Set<Command>();
  for (const c of keyClashes(table, changed)) {
    const at = where.get(c.command)!;
    const other = where.get(c.other);
    const otherName = other?.name ?? c.other;
    check.error(
      at.node,
      `keys.${at.name}: '${keyLabel(c.key)}' is already bound to ${otherName} (in ${c.mode} mode); choose another key${other ? '' : `, or give ${otherName} another key under keys:`}`,
    );
    bad.add(c.command);
  }
  for (const c of bad) delete overrides[c];
  return overrides;
}
