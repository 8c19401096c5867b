import { describe, expect, it } from 'vitest';
import {
  BINDINGS,
  bindingsFor,
  helpSections,
  hintsFor,
  isWriteCommand,
  matchKey,
  splitInput,
  type KeyEvent,
  type Mode,
} from '../../src/core/tui/keys.js';

const none: KeyEvent = {};

describe('matchKey', () => {
  it('maps letters and named keys to commands while browsing', () => {
    expect(matchKey('j', none, 'normal')).toBe('down');
    expect(matchKey('', { downArrow: true }, 'normal')).toBe('down');
    expect(matchKey('k', none, 'normal')).toBe('up');
    expect(matchKey('', { upArrow: true }, 'detail')).toBe('up');
    expect(matchKey('g', none, 'normal')).toBe('top');
    expect(matchKey('G', none, 'normal')).toBe('bottom');
    expect(matchKey('', { pageDown: true }, 'normal')).toBe('page-down');
    expect(matchKey('', { pageUp: true }, 'normal')).toBe('page-up');
    expect(matchKey('', { return: true }, 'normal')).toBe('detail');
    expect(matchKey(' ', none, 'normal')).toBe('mark');
    expect(matchKey('r', none, 'normal')).toBe('resolve');
    expect(matchKey('R', none, 'normal')).toBe('resolve-many');
    expect(matchKey('S', none, 'normal')).toBe('snapshot');
    expect(matchKey('s', none, 'normal')).toBe('sort');
  });

  it('tells ctrl-c from c and quits from every mode', () => {
    const modes: Mode[] = ['normal', 'detail', 'filter-input', 'confirm', 'help'];
    for (const m of modes) expect(matchKey('c', { ctrl: true }, m)).toBe('force-quit');
    // Plain `c` is the copy key (src/core/tui/keys-habits.ts).
    expect(matchKey('c', none, 'normal')).toBe('copy');
  });

  it('types into the filter instead of running commands', () => {
    expect(matchKey('j', none, 'filter-input')).toBe('filter-type');
    expect(matchKey('q', none, 'filter-input')).toBe('filter-type');
    expect(matchKey('', { return: true }, 'filter-input')).toBe('filter-accept');
    expect(matchKey('', { escape: true }, 'filter-input')).toBe('filter-cancel');
    expect(matchKey('', { backspace: true }, 'filter-input')).toBe('filter-backspace');
    expect(matchKey('', { delete: true }, 'filter-input')).toBe('filter-backspace');
    expect(matchKey('\u0001', none, 'filter-input')).toBeNull();
  });

  it('digits pick a source only in the detail pane', () => {
    expect(matchKey('1', none, 'detail')).toBe('pick-source');
    expect(matchKey('9', none, 'detail')).toBe('pick-source');
    expect(matchKey('1', none, 'normal')).toBeNull();
  });

  it('confirm takes y or n and nothing else; help closes on any key', () => {
    expect(matchKey('y', none, 'confirm')).toBe('confirm-yes');
    expect(matchKey('n', none, 'confirm')).toBe('confirm-no');
    expect(matchKey('', { escape: true }, 'confirm')).toBe('confirm-no');
    expect(matchKey('r', none, 'confirm')).toBeNull();
    expect(matchKey('x', none, 'help')).toBe('help-close');
    expect(matchKey('', { downArrow: true }, 'help')).toBe('help-close');
  });
});

describe('the binding table', () => {
  it('marks every command that writes', () => {
    for (const c of ['resolve', 'resolve-many', 'undo', 'auto', 'pick-source', 'mark'] as const)
      expect(isWriteCommand(c)).toBe(true);
    for (const c of ['down', 'filter', 'snapshot', 'pause', 'quit'] as const)
      expect(isWriteCommand(c)).toBe(false);
  });

  it('gives no key two meanings in one mode', () => {
    const modes: Mode[] = ['normal', 'detail', 'filter-input', 'confirm', 'help'];
    for (const m of modes) {
      const seen = new Map<string, string>();
      for (const b of bindingsFor(m, false)) {
        for (const k of b.keys) {
          if (k.any || k.printable) continue;
          const id = `${k.ctrl ? 'ctrl-' : ''}${k.char ?? k.name}`;
          expect(seen.get(id), `${id} in ${m}`).toBeUndefined();
          seen.set(id, b.command);
        }
      }
    }
  });

  it('hides write keys from hints and help when read-only', () => {
    const rw = hintsFor('normal', false).map((h) => h.command);
    const ro = hintsFor('normal', true).map((h) => h.command);
    expect(rw).toEqual(expect.arrayContaining(['resolve', 'resolve-many', 'undo', 'auto']));
    expect(ro).not.toEqual(expect.arrayContaining(['resolve']));
    expect(ro.some((c) => isWriteCommand(c))).toBe(false);
    const help = helpSections(true).flatMap((s) => s.entries.map((e) => e.description));
    expect(help.some((d) => d.startsWith('resolve'))).toBe(false);
    expect(help).toContain('quit');
  });

  it('documents every browsing binding in the help', () => {
    const described = helpSections(false).flatMap((s) => s.entries.map((e) => e.description));
    for (const b of BINDINGS.filter((b) => b.modes.includes('normal')))
      expect(described).toContain(b.description);
  });
});

describe('splitInput', () => {
  it('splits keys that arrived together into one press each', () => {
    expect(splitInput('jjr', none)).toEqual([
      ['j', {}],
      ['j', {}],
      ['r', {}],
    ]);
    expect(splitInput('k\r', none)).toEqual([
      ['k', {}],
      ['', { return: true }],
    ]);
    expect(splitInput('a\u007fb', none).map(([, k]) => k.backspace === true)).toEqual([false, true, false]);
  });

  it('leaves single keys, escape sequences and control keys alone', () => {
    expect(splitInput('j', none)).toEqual([['j', none]]);
    expect(splitInput('\u001b[A', { upArrow: true })).toEqual([['\u001b[A', { upArrow: true }]]);
    expect(splitInput('c', { ctrl: true })).toEqual([['c', { ctrl: true }]]);
    expect(splitInput('👩‍💻', none)).toHaveLength(3);
  });
});
