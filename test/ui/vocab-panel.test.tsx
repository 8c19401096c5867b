// The vocabulary panel (V, :vocab; README.md "Vocabulary") over the real engine on a
// discovered tree: every value per field and source, the detail pane's hint for an unknown
// value, `a` writing the alias and the verdicts following; hidden in --read-only.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { render } from 'ink-testing-library';
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { aliasTeacher } from '../../src/cli/vocab.js';
import { Engine } from '../../src/shell/engine.js';
import { loadConfig } from '../../src/shell/probe.js';
import { App } from '../../src/ui/App.js';
import { FIXTURES, tempDir } from '../helpers/cli.js';
import { frameOf, press, stripAnsi, waitForFrame, waitForInput } from '../helpers/ink.js';
import { KEY } from '../helpers/keys.js';
import { selectedId } from '../helpers/app.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function open(
  readOnly = false,
  accept?: (a: { field: string; value: string; canonical: string }) => Promise<string>,
) {
  const root = tempDir('sync-tui-vocab-ui-');
  cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.cpSync(path.join(FIXTURES, 'discovery', 'registry-subfolder'), root, { recursive: true });
  const engine = await Engine.open(root, loadConfig(root), { watch: false });
  cleanup.push(() => engine.close());
  const r = render(
    <App
      engine={engine}
      size={{ columns: 200, rows: 40 }}
      writeSnapshot={async () => 'x'}
      clock={() => Date.now()}
      bell={() => {}}
      readOnly={readOnly}
      acceptAlias={accept ?? aliasTeacher({ root }, () => Promise.resolve(engine))}
    />,
  );
  cleanup.push(() => r.unmount());
  await waitForFrame(r.lastFrame, (f) => f.includes('AGENT'));
  await waitForInput(r);
  return { root, engine, r };
}

const UNKNOWN = 'COMPLETE - LEGENDARY SESSION';

describe('the vocabulary panel', () => {
  it('the detail pane hints at an unknown value; V opens the list on it; a writes the alias and the verdicts follow', async () => {
    const { root, engine, r } = await open();
    const agent3 = () => engine.getSnapshot().recon.agents.find((a) => a.id === 'Agent-3')!;
    expect(agent3().observations['file']!.fields['status']!.unknown).toBe(true);
    // Select Agent-3 and open its detail pane.
    for (let i = 0; i < 8 && selectedId(stripAnsi(frameOf(r))) !== 'Agent-3'; i++) {
      const prev = selectedId(stripAnsi(frameOf(r)));
      await press(r, 'j', (x) => selectedId(stripAnsi(x)) !== prev);
    }
    expect(selectedId(stripAnsi(frameOf(r)))).toBe('Agent-3');
    let f = await press(r, KEY.enter, (x) => x.includes(`unknown value '${UNKNOWN}'`));
    expect(f).toContain(`unknown value '${UNKNOWN}': V to teach it`);
    f = stripAnsi(await press(r, 'V', (x) => x.includes(' vocabulary ')));
    expect(f).toMatch(/file status:/);
    expect(f).toMatch(/display status:/);
    expect(f).toMatch(
      /^› COMPLETE - LEGENDARY SESSION\s+1 agent\s+-> unknown\s+suggest ONBOARDED \(starts with 'COMPLETE', an alias of ONBOARDED\)/m,
    );
    expect(f).toMatch(/ACTIVE_AGENT_MODE\s+1 agent\s+-> ACTIVE/);
    expect(f).toMatch(/4 of 5 distinct values known/);
    f = stripAnsi(
      await press(r, 'a', (x) => x.includes('5 of 5 distinct values known') && x.includes('added ')),
    );
    expect(f).toMatch(/^› COMPLETE - LEGENDARY SESSION\s+1 agent\s+-> ONBOARDED/m);
    expect(f).toMatch(/added 'COMPLETE - LEGENDARY SESSION' as status ONBOARDED/);
    const written = fs.readFileSync(path.join(root, 'sync-tui.config.yaml'), 'utf8');
    expect(written).toContain(UNKNOWN);
    expect(loadConfig(root).fields.find((x) => x.name === 'status')!.vocabulary.aliases).toHaveProperty(
      'COMPLETE_LEGENDARY_SESSION',
    );
    expect(agent3().observations['file']!.fields['status']!.unknown).toBeFalsy();
    expect(agent3().observations['file']!.fields['status']!.value).toBe('ONBOARDED');
    f = await press(r, KEY.escape, (x) => !x.includes(' vocabulary '));
    expect(f).not.toContain(`unknown value '${UNKNOWN}'`);
  });

  it(':vocab opens it; a on a known value or one without a suggestion writes nothing', async () => {
    const calls: unknown[] = [];
    const { r } = await open(false, async (a) => (calls.push(a), 'written'));
    await press(r, ':', () => true);
    for (const ch of 'vocab') await press(r, ch, () => true);
    let f = stripAnsi(await press(r, KEY.enter, (x) => x.includes(' vocabulary ')));
    expect(f).toMatch(/^› COMPLETE - LEGENDARY SESSION/m);
    f = stripAnsi(await press(r, 'j', (x) => /^› ACTIVE_AGENT_MODE|^› (?!COMPLETE)/m.test(stripAnsi(x))));
    await press(r, 'a', (x) => x.includes('already known'));
    expect(calls).toEqual([]);
    await press(r, 'k', (x) => /^› COMPLETE/m.test(stripAnsi(x)));
    await press(r, 'a', (x) => x.includes('written'));
    expect(calls).toEqual([{ field: 'status', value: UNKNOWN, canonical: 'ONBOARDED' }]);
  });

  it('read-only: the list opens, accepting is hidden and refused', async () => {
    const calls: unknown[] = [];
    const { root, r } = await open(true, async (a) => (calls.push(a), 'written'));
    const f = stripAnsi(await press(r, 'V', (x) => x.includes(' vocabulary ')));
    expect(f).not.toMatch(/a accept/);
    await press(r, 'a', (x) => x.includes('read-only'));
    expect(calls).toEqual([]);
    expect(fs.existsSync(path.join(root, 'sync-tui.config.yaml'))).toBe(false);
  });
});
