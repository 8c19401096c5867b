// The config's `theme:` (README.md "Theme") in the live view: the tokens and the table's
// colours drawn in the configured terminal colours.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

// Colours on (before chalk is imported). Chalk draws a #hex colour in the nearest colour the
// terminal has: at 16 colours #00d700 is green.
const savedForceColor = vi.hoisted(() => {
  const saved = process.env['FORCE_COLOR'];
  process.env['FORCE_COLOR'] = '1';
  return saved;
});

import { cleanup } from 'ink-testing-library';
import { FakeEngine, incidentData } from '../helpers/fake-engine.js';
import { mount } from '../helpers/app.js';
import { incidentConfig } from '../helpers/workspace.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
afterEach(() => cleanup());
afterAll(() => {
  if (savedForceColor === undefined) delete process.env['FORCE_COLOR'];
  else process.env['FORCE_COLOR'] = savedForceColor;
});

/** The SGR codes that open right before `text` in the table of a raw frame. */
function codesBefore(raw: string, text: string): string[] {
  const at = raw.indexOf(text, raw.indexOf('AGENT'));
  if (at < 0) return [];
  const before = raw.slice(Math.max(0, at - 40), at);
  const m = [...before.matchAll(/\u001B\[([0-9;]*)m/g)].pop();
  return m ? m[1]!.split(';') : [];
}

describe('theme from the config', () => {
  it('draws the verdicts in the default colours, and in the theme colours of warn, ok and error', async () => {
    let m = await mount();
    expect(codesBefore(m.r.lastFrame() ?? '', '≠ drift')).toContain('33');
    cleanup();
    const engine = new FakeEngine(incidentData(), {
      ...incidentConfig(),
      theme: { warn: 'blueBright', ok: 'white', error: '#00d700' },
    });
    m = await mount({}, engine);
    const raw = m.r.lastFrame() ?? '';
    expect(codesBefore(raw, '≠ drift')).toContain('94');
    expect(codesBefore(raw, '✔ in-sync')).toContain('37');
    expect(codesBefore(raw, '≠ drift')).not.toContain('33');
    // Conflict is `error`: red by default, here #00d700.
    expect(codesBefore(raw, '⚠ conflict')).toContain('32');
  });

  it('with colour off, a theme passes no colour either', async () => {
    const engine = new FakeEngine(incidentData(), { ...incidentConfig(), theme: { warn: 'blueBright' } });
    const m = await mount({ color: false }, engine);
    expect(m.r.lastFrame() ?? '').not.toMatch(/\u001B\[(?:3\d|9\d)/);
  });
});
