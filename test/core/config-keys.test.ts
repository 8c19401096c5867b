import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config/config.js';
import { applyKeyOverrides, keyClashes } from '../../src/core/tui/key-config.js';
import { BINDINGS, hintsFor, matchKey } from '../../src/core/tui/keys.js';

const base = `sources:
  file:
    kind: status-files
    path: agents/{agent}/status.json
  display:
    kind: registry
    path: registry.json
    fields:
      status: agents.{agent}.status
`;

function messages(extra: string): string[] {
  const r = parseConfig(base + extra, '/w/sync-tui.config.yaml');
  if (r.ok) return [];
  return r.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`);
}

describe('keys: in the config', () => {
  it('rebinds commands by their name or their : name, replacing the default keys', () => {
    const r = parseConfig(
      base + 'keys:\n  resolve: x\n  resolve-all: [X, ctrl-r]\n  filter: "|"\n  detail: space\n  mark: m\n',
      'c.yaml',
    );
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    expect(r.config.keys).toEqual({
      resolve: [{ char: 'x' }],
      'resolve-many': [{ char: 'X' }, { char: 'r', ctrl: true }],
      filter: [{ char: '|' }],
      detail: [{ char: ' ' }],
      mark: [{ char: 'm' }],
    });
    const table = applyKeyOverrides(BINDINGS, r.config.keys);
    expect(matchKey('x', {}, 'normal', table)).toBe('resolve');
    expect(matchKey('r', {}, 'normal', table)).toBeNull();
    expect(matchKey('r', { ctrl: true }, 'normal', table)).toBe('resolve-many');
    expect(matchKey('|', {}, 'normal', table)).toBe('filter');
    expect(table.find((b) => b.command === 'resolve-many')!.label).toBe('X ctrl-r');
  });

  it('leaves a config without keys: with the default table', () => {
    const r = parseConfig(base, 'c.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    expect(r.config.keys).toBeUndefined();
  });

  it('names an unknown command with a suggestion, file and line', () => {
    expect(messages('keys:\n  resolv: x\n')).toEqual([
      expect.stringMatching(
        /^\/w\/sync-tui\.config\.yaml:11: keys: no command 'resolv'; did you mean 'resolve'\?/,
      ),
    ]);
  });

  it('refuses a key another command has in the same mode, naming both', () => {
    expect(messages('keys:\n  resolve: R\n')).toEqual([
      "/w/sync-tui.config.yaml:11: keys.resolve: 'R' is already bound to resolve-many (in normal mode); choose another key, or give resolve-many another key under keys:",
    ]);
    // Swapping two keys is fine: each is free once the other moved.
    expect(messages('keys:\n  resolve: R\n  resolve-many: r\n')).toEqual([]);
    // The same key for two configured commands is told once.
    expect(messages('keys:\n  resolve: x\n  pause: x\n')).toHaveLength(1);
  });

  it('refuses ctrl-c, the fixed commands and words that are not keys', () => {
    expect(messages('keys:\n  quit: ctrl-c\n')).toEqual([
      '/w/sync-tui.config.yaml:11: keys.quit: ctrl-c always quits; it cannot be rebound',
    ]);
    expect(messages('keys:\n  force-quit: Q\n')[0]).toMatch(
      /keys\.force-quit: cannot be rebound \(ctrl-c always quits\)/,
    );
    expect(messages('keys:\n  resolve: shift-tab\n')[0]).toMatch(
      /:11: keys\.resolve: 'shift-tab' is not a key; expected one character/,
    );
    expect(messages('keys:\n  resolve: { a: 1 }\n')[0]).toMatch(
      /keys\.resolve: expected a key or a list of keys/,
    );
    expect(messages('keys: [r]\n')[0]).toMatch(/keys: expected a mapping/);
  });

  it('pairs the j/k hint again when one of the two moves', () => {
    const r = parseConfig(base + 'keys:\n  down: t\n', 'c.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const hints = hintsFor('normal', false, applyKeyOverrides(BINDINGS, r.config.keys));
    expect(hints.find((h) => h.command === 'down')!.key).toBe('t/k');
  });

  it('finds no clash in the default table', () => {
    expect(
      keyClashes(
        BINDINGS,
        BINDINGS.map((b) => b.command),
      ),
    ).toEqual([]);
  });
});

describe('theme: in the config', () => {
  it('takes colour names and hex for tokens', () => {
    const r = parseConfig(
      base + 'theme:\n  ok: greenBright\n  warn: "#D7AF00"\n  accent: "#0af"\n',
      'c.yaml',
    );
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    expect(r.config.theme).toEqual({ ok: 'greenBright', warn: '#d7af00', accent: '#0af' });
  });

  it('names an unknown token, a word that is no colour, and an unquoted hex', () => {
    const m = messages('theme:\n  oki: green\n  warn: orangey\n  error: #d70000\n');
    expect(m[0]).toMatch(/:11: theme: unknown key 'oki'; did you mean 'ok'\?/);
    expect(m[1]).toMatch(/:12: theme\.warn: 'orangey' is not a colour; expected a colour name/);
    expect(m[2]).toMatch(/:13: theme\.error: expected a colour name .* #rgb \/ #rrggbb in quotes/);
  });
});
