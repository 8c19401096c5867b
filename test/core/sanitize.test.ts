import { describe, expect, it } from 'vitest';
import {
  SANITIZE_MAX_LENGTH,
  displayWidth,
  padEnd,
  sanitizeText,
  sanitizeValue,
  truncate,
} from '../../src/core/sanitize.js';

const ESC = '\x1b';
const BEL = '\x07';
const ST = `${ESC}\\`;

describe('sanitizeText: escape sequences', () => {
  it('removes OSC window-title sequences', () => {
    expect(sanitizeText(`${ESC}]0;pwned${BEL}OK`)).toBe('OK');
    expect(sanitizeText(`${ESC}]2;title${ST}OK`)).toBe('OK');
  });

  it('removes CSI sequences (screen clear, cursor moves, colours, private modes)', () => {
    expect(sanitizeText(`${ESC}[2J${ESC}[HX`)).toBe('X');
    expect(sanitizeText(`${ESC}[31mred${ESC}[0m`)).toBe('red');
    expect(sanitizeText(`${ESC}[38;2;255;0;0mrgb${ESC}[m`)).toBe('rgb');
    expect(sanitizeText(`a${ESC}[?1049hb${ESC}[?25lc`)).toBe('abc');
    expect(sanitizeText(`${ESC}[1;1H${ESC}[K${ESC}[6n`)).toBe('');
  });

  it('removes OSC 52 clipboard writes entirely', () => {
    expect(sanitizeText(`${ESC}]52;c;ZXZpbA==${BEL}`)).toBe('');
    expect(sanitizeText(`before${ESC}]52;c;ZXZpbA==${ST}after`)).toBe('beforeafter');
  });

  it('keeps only the visible text of an OSC 8 hyperlink', () => {
    expect(sanitizeText(`${ESC}]8;;https://evil.example/${ST}click me${ESC}]8;;${ST}`)).toBe('click me');
    expect(sanitizeText(`${ESC}]8;id=1;file:///etc/passwd${BEL}docs${ESC}]8;;${BEL}!`)).toBe('docs!');
  });

  it('removes DCS, SOS, PM and APC strings', () => {
    expect(sanitizeText(`${ESC}Pq#0;2;0;0;0#0~~@@${ST}after`)).toBe('after');
    expect(sanitizeText(`${ESC}Xsos${ST}a${ESC}^pm${ST}b${ESC}_apc${ST}c`)).toBe('abc');
    expect(sanitizeText(`${ESC}P$q"p${ST}`)).toBe('');
  });

  it('removes short ESC sequences', () => {
    expect(sanitizeText(`${ESC}7saved${ESC}8`)).toBe('saved');
    expect(sanitizeText(`${ESC}creset`)).toBe('reset');
    expect(sanitizeText(`${ESC}(0lqk${ESC}(B`)).toBe('lqk');
    expect(sanitizeText(`${ESC}#8E`)).toBe('E');
    expect(sanitizeText(`${ESC}OPF1`)).toBe('F1');
    expect(sanitizeText(`${ESC}M${ESC}=${ESC}>x`)).toBe('x');
  });

  it('drops a lone or dangling ESC', () => {
    expect(sanitizeText(`abc${ESC}`)).toBe('abc');
    expect(sanitizeText(`a${ESC}${ESC}b`)).toBe('a');
    expect(sanitizeText(`a${ESC}\u00e9`)).toBe('a\u00e9');
  });

  it('handles the 8-bit C1 forms', () => {
    expect(sanitizeText('\u009b31mred\u009b0m')).toBe('red');
    expect(sanitizeText('\u009d0;title\u009cX')).toBe('X');
    expect(sanitizeText('\u009d52;c;ZXZpbA==\x07Y')).toBe('Y');
    expect(sanitizeText('\u0090dcs\u009cZ')).toBe('Z');
  });

  it('ends a control string at CAN/SUB or at the next ESC', () => {
    expect(sanitizeText(`${ESC}]0;t\x18A`)).toBe('A');
    expect(sanitizeText(`${ESC}]0;t${ESC}[31mB`)).toBe('B');
  });

  it('shows the text after a control string that is never terminated', () => {
    // Only the introducer goes: hiding everything up to the end would hide real content.
    expect(sanitizeText(`ok ${ESC}]0;rest of line`)).toBe('ok 0;rest of line');
    expect(sanitizeText(`${ESC}P1;2`)).toBe('1;2');
  });

  it('drops a malformed CSI up to the offending character', () => {
    expect(sanitizeText(`${ESC}[12\u00e9x`)).toBe('\u00e9x');
    expect(sanitizeText(`${ESC}[1;2`)).toBe('');
  });
});

describe('sanitizeText: controls and invisible characters', () => {
  it('renders line breaks as a visible ⏎ and tabs as a space', () => {
    expect(sanitizeText('a\nb')).toBe('a⏎b');
    expect(sanitizeText('a\r\nb')).toBe('a⏎b');
    expect(sanitizeText('a\rb')).toBe('a⏎b');
    expect(sanitizeText('a\n\nb')).toBe('a⏎⏎b');
    expect(sanitizeText('a\u2028b\u2029c\u0085d')).toBe('a⏎b⏎c⏎d');
    expect(sanitizeText('a\tb')).toBe('a b');
  });

  it('removes other C0 controls, DEL and C1 controls', () => {
    expect(sanitizeText('a\x00b\x07c\x08d\x1ae')).toBe('abcde');
    expect(sanitizeText('a\x7fb')).toBe('ab');
    expect(sanitizeText('a\u0080b\u0091c\u009fd')).toBe('abcd');
  });

  it('removes bidi controls', () => {
    for (const cp of [
      0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c,
    ]) {
      expect(sanitizeText(`ab${String.fromCodePoint(cp)}cd`)).toBe('abcd');
    }
    // The classic "Trojan Source" reversal.
    expect(sanitizeText('access_level = "user\u202e \u2066// admin\u2069 \u2066"')).toBe(
      'access_level = "user // admin "',
    );
  });

  it('removes zero-width characters that can hide text', () => {
    for (const cp of [0x200b, 0x200c, 0x200d, 0xfeff, 0x2060]) {
      expect(sanitizeText(`ad${String.fromCodePoint(cp)}min`)).toBe('admin');
    }
    expect(sanitizeText('READY\u200b')).toBe('READY');
    expect(sanitizeText('soft\u00adhyphen')).toBe('softhyphen');
    // Tag characters ("ASCII smuggling": invisible text for language models).
    expect(sanitizeText('ok\u{e0049}\u{e0067}\u{e006e}')).toBe('ok');
    expect(sanitizeText('a\ufff9b\ufffac\ufffbd')).toBe('abcd');
  });

  it('keeps a zero width joiner only inside emoji sequences', () => {
    expect(sanitizeText('👩\u200d💻')).toBe('👩\u200d💻');
    expect(sanitizeText('👨\u200d👩\u200d👧')).toBe('👨\u200d👩\u200d👧');
    expect(sanitizeText('👍🏽\u200d👍')).toBe('👍🏽\u200d👍');
    expect(sanitizeText('🏳\ufe0f\u200d🌈')).toBe('🏳\ufe0f\u200d🌈');
    expect(sanitizeText('🚀\u200dx')).toBe('🚀x');
    expect(sanitizeText('x\u200d🚀')).toBe('x🚀');
    expect(sanitizeText('🚀\u200d\u200d🚀')).toBe('🚀\u200d🚀');
  });

  it('keeps ordinary text, emoji and variation selectors', () => {
    for (const s of [
      'Agent-1',
      'ONBOARDED ✅',
      '日本語',
      'e\u0301',
      'ï',
      '⚡️ done',
      '🏗️ 🛠️',
      'Ångström → ≤ 5',
    ]) {
      expect(sanitizeText(s)).toBe(s);
    }
  });

  it('replaces lone surrogates with U+FFFD and keeps valid pairs', () => {
    expect(sanitizeText('a\ud800b')).toBe('a\ufffdb');
    expect(sanitizeText('\udc00')).toBe('\ufffd');
    expect(sanitizeText('\ud83d')).toBe('\ufffd');
    expect(sanitizeText('😀\ud83d\ude00')).toBe('😀😀');
  });

  it('is idempotent on hostile input', () => {
    const nasty = `${ESC}]0;x${BEL}\u202eab\u200b\r\n${ESC}[1m👩\u200d💻\ud800${ESC}`;
    const once = sanitizeText(nasty);
    expect(once).toBe('ab⏎👩\u200d💻\ufffd');
    expect(sanitizeText(once)).toBe(once);
  });
});

describe('sanitizeText: size', () => {
  it(`caps output at ${SANITIZE_MAX_LENGTH} code units, ending with …`, () => {
    const out = sanitizeText('x'.repeat(100_000));
    expect(out).toHaveLength(SANITIZE_MAX_LENGTH);
    expect(out.endsWith('x…')).toBe(true);
    expect(sanitizeText('x'.repeat(SANITIZE_MAX_LENGTH))).toHaveLength(SANITIZE_MAX_LENGTH);
    expect(sanitizeText('x'.repeat(SANITIZE_MAX_LENGTH)).endsWith('…')).toBe(false);
  });

  it('does not cut a surrogate pair or an emoji sequence at the cap', () => {
    const out = sanitizeText('a' + '👩\u200d💻'.repeat(3000));
    expect(out.length).toBeLessThanOrEqual(SANITIZE_MAX_LENGTH);
    expect(out.endsWith('👩\u200d💻…')).toBe(true);
  });

  it('handles 100 KB+ of hostile input (speed is measured by the benchmark, not here)', () => {
    const inputs = [
      `${ESC}[31m`.repeat(30_000) + 'end',
      '\u009d'.repeat(200_000) + 'x',
      'a\u009db'.repeat(60_000),
      `${ESC}]`.repeat(100_000) + 'y',
      `${ESC}[` + '1;'.repeat(100_000),
      '\u200b'.repeat(200_000) + 'z',
      '\ud800'.repeat(100_000),
      `${ESC}]0;` + 'p'.repeat(200_000),
    ];
    const outs = inputs.map(sanitizeText);
    expect(outs[0]).toBe('end');
    expect(outs[1]).toBe('x');
    expect(outs[2]!.startsWith('ababab')).toBe(true);
    expect(outs[3]).toBe('y');
    expect(outs[4]).toBe('');
    expect(outs[5]).toBe('z');
    expect(outs[6]).toHaveLength(SANITIZE_MAX_LENGTH);
    expect(outs[7]!.length).toBeLessThanOrEqual(SANITIZE_MAX_LENGTH);
  });
});

describe('displayWidth', () => {
  it.each([
    ['', 0],
    ['Agent-1', 7],
    ['日本', 4],
    ['🚀', 2],
    ['e\u0301', 1],
    ['a\u0300\u0301\u0302', 1],
    ['✅', 2],
    ['ONBOARDED ✅', 12],
    ['⚡️', 2],
    ['🏗️', 2],
    ['⚠', 1],
    ['☺', 1],
    ['☺️', 2],
    ['👨\u200d👩\u200d👧', 2],
    ['👩\u200d💻', 2],
    ['👍🏽', 2],
    ['🇺🇸', 2],
    ['1️⃣', 2],
    ['한국어', 6],
    ['Ａ', 2],
    ['ｶ', 1],
    ['→ ≤ …', 5],
    ['\u200b', 0],
    ['⏎', 1],
  ])('%j is %i columns', (s, w) => {
    expect(displayWidth(s)).toBe(w);
  });

  it('measures text after sanitising', () => {
    expect(displayWidth(`${ESC}[31mred${ESC}[0m`)).toBe(3);
    expect(displayWidth(`${ESC}]8;;http://x${ST}link${ESC}]8;;${ST}`)).toBe(4);
    expect(displayWidth('a\tb\nc')).toBe(5);
    expect(displayWidth('ab\u202ecd')).toBe(4);
  });
});

describe('truncate', () => {
  it('leaves text that fits alone (but sanitised)', () => {
    expect(truncate('Agent-1', 7)).toBe('Agent-1');
    expect(truncate('Agent-1', 100)).toBe('Agent-1');
    expect(truncate(`${ESC}[1mAgent-1`, 7)).toBe('Agent-1');
    expect(truncate('日本', 4)).toBe('日本');
  });

  it('cuts with … and stays within the width', () => {
    expect(truncate('Agent-12345', 5)).toBe('Agen…');
    expect(truncate('abcd', 3)).toBe('ab…');
    expect(truncate('abc', 1)).toBe('…');
    expect(truncate('a', 1)).toBe('a');
    expect(truncate('abcdef', 4.9)).toBe('abc…');
  });

  it('never splits a wide character or a grapheme cluster', () => {
    expect(truncate('日本語', 5)).toBe('日本…');
    expect(truncate('日本語', 4)).toBe('日…');
    expect(displayWidth(truncate('日本語', 4))).toBe(3);
    expect(truncate('e\u0301e\u0301e\u0301', 2)).toBe('e\u0301…');
    expect(truncate('👨\u200d👩\u200d👧abc', 3)).toBe('👨\u200d👩\u200d👧…');
    expect(truncate('👨\u200d👩\u200d👧abc', 2)).toBe('…');
    expect(truncate('🇺🇸🇫🇷', 3)).toBe('🇺🇸…');
  });

  it('gives an empty string for widths below 1', () => {
    expect(truncate('abc', 0)).toBe('');
    expect(truncate('abc', -5)).toBe('');
    expect(truncate('abc', Number.NaN)).toBe('');
    expect(truncate('abc', 0.5)).toBe('');
  });
});

describe('padEnd', () => {
  it('pads to the display width', () => {
    expect(padEnd('ab', 4)).toBe('ab  ');
    expect(padEnd('日本', 5)).toBe('日本 ');
    expect(padEnd('🚀', 3)).toBe('🚀 ');
    expect(padEnd('', 2)).toBe('  ');
  });

  it('truncates text that is too wide, then pads the gap a wide character left', () => {
    expect(padEnd('abcdef', 4)).toBe('abc…');
    expect(padEnd('日本語', 5)).toBe('日本…');
    expect(padEnd('日本語', 4)).toBe('日… ');
    expect(displayWidth(padEnd('日本語', 4))).toBe(4);
  });

  it('pads correctly after a prepend character, which joins the next space into its cluster', () => {
    expect(padEnd('\u{1193f}', 2)).toBe('\u{1193f}  ');
    expect(displayWidth(padEnd('\u{1193f}', 2))).toBe(2);
  });

  it('gives an empty string for widths below 1', () => {
    expect(padEnd('abc', 0)).toBe('');
    expect(padEnd('abc', -1)).toBe('');
  });
});

describe('sanitizeValue', () => {
  it('renders scalars JSON-style', () => {
    expect(sanitizeValue('READY')).toBe('"READY"');
    expect(sanitizeValue('')).toBe('""');
    expect(sanitizeValue('say "hi"\\')).toBe('"say \\"hi\\"\\\\"');
    expect(sanitizeValue(42)).toBe('42');
    expect(sanitizeValue(-1.5)).toBe('-1.5');
    expect(sanitizeValue(Number.NaN)).toBe('NaN');
    expect(sanitizeValue(true)).toBe('true');
    expect(sanitizeValue(false)).toBe('false');
    expect(sanitizeValue(null)).toBe('null');
    expect(sanitizeValue(undefined)).toBe('undefined');
    expect(sanitizeValue(10n)).toBe('10n');
  });

  it('shows invisible and control characters as escapes', () => {
    expect(sanitizeValue('READY\u200b')).toBe('"READY\\u200b"');
    expect(sanitizeValue('a\nb\tc\r')).toBe('"a\\nb\\tc\\r"');
    expect(sanitizeValue(`${ESC}[2J`)).toBe('"\\u001b[2J"');
    expect(sanitizeValue('user\u202eevil')).toBe('"user\\u202eevil"');
    expect(sanitizeValue('\u009b')).toBe('"\\u009b"');
    expect(sanitizeValue('x\ud800')).toBe('"x\\ud800"');
    expect(sanitizeValue('tag\u{e0041}')).toBe('"tag\\u{e0041}"');
    expect(sanitizeValue('ONBOARDED ✅ 👩\u200d💻')).toBe('"ONBOARDED ✅ 👩\u200d💻"');
  });

  it('renders arrays and objects compactly', () => {
    expect(sanitizeValue({ current_state: 'ACTIVE', previous_state: 'IDLE', cycle_number: 3 })).toBe(
      '{current_state: "ACTIVE", previous_state: "IDLE", cycle_number: 3}',
    );
    expect(sanitizeValue([1, 'a', null, true])).toBe('[1, "a", null, true]');
    expect(sanitizeValue({ 'a b': 1, 'x\ny': 2 })).toBe('{"a b": 1, "x\\ny": 2}');
    expect(sanitizeValue({})).toBe('{}');
    expect(sanitizeValue([])).toBe('[]');
    expect(sanitizeValue({ a: { b: { c: { d: 1 } } } })).toBe('{a: {b: {c: {…}}}}');
    expect(sanitizeValue([[[[1]]]])).toBe('[[[[…]]]]');
  });

  it('survives cycles and odd objects', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    expect(sanitizeValue(cyclic)).toBe('{name: "loop", self: [Circular]}');
    expect(sanitizeValue(new Date(Date.UTC(2025, 8, 14)))).toBe('2025-09-14T00:00:00.000Z');
    expect(sanitizeValue(() => 1)).toBe('[function]');
    expect(sanitizeValue(Symbol('s\x1b[2J'))).toBe('Symbol(s)');
    const throwing = {
      get boom(): never {
        throw new Error('no');
      },
    };
    expect(sanitizeValue(throwing)).toBe('[unreadable]');
  });

  it('is bounded, however large the value', () => {
    expect(sanitizeValue('x'.repeat(1_000_000))).toHaveLength(200);
    expect(sanitizeValue('x'.repeat(1_000_000)).endsWith('…')).toBe(true);
    expect(sanitizeValue('abcdefghijklmnop', 10)).toBe('"abcdefgh…');
    const big = Array.from({ length: 100_000 }, (_, i) => ({ id: i, status: 'ACTIVE' }));
    const out = sanitizeValue(big);
    expect(out.length).toBeLessThanOrEqual(200);
    expect(out.startsWith('[{id: 0, status: "ACTIVE"}, {id: 1')).toBe(true);
    expect(sanitizeValue('abc', 0)).toBe('');
  });
});
