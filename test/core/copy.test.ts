import { describe, expect, it } from 'vitest';
import { base64Utf8, osc52, stripControls } from '../../src/core/tui/copy.js';

describe('copy to the clipboard (OSC 52)', () => {
  it('wraps the base64 of the UTF-8 bytes in OSC 52', () => {
    expect(osc52('Agent-1')).toBe(`\x1b]52;c;${Buffer.from('Agent-1').toString('base64')}\x07`);
    const text = 'état ✔ "quoted" a b';
    expect(Buffer.from(base64Utf8(text), 'base64').toString('utf8')).toBe(text);
  });

  it('takes out control characters only', () => {
    expect(stripControls('a\x1b]52;c;x\x07b\tc\nd\u009be ✔ "q"')).toBe('a]52;c;xbcde ✔ "q"');
  });
});
