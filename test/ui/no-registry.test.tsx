// The live view over a discovered tree with no registry (fixtures/discovery/no-registry), with
// the real engine: the header says there is no registry and how to name one, and the keys
// that write are hidden and refused.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { render } from 'ink-testing-library';
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/shell/engine.js';
import { loadConfig } from '../../src/shell/probe.js';
import { App } from '../../src/ui/App.js';
import { FIXTURES, tempDir } from '../helpers/cli.js';
import { frameOf, waitForFrame, waitForInput } from '../helpers/ink.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('the live view with no registry', () => {
  it('says so in the header, with one line per discovered source, and hides resolve', async () => {
    const root = tempDir('sync-tui-noreg-ui-');
    cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
    fs.cpSync(path.join(FIXTURES, 'discovery', 'no-registry'), root, { recursive: true });
    const engine = await Engine.open(root, loadConfig(root), { watch: false });
    cleanup.push(() => engine.close());
    const r = render(
      <App
        engine={engine}
        size={{ columns: 200, rows: 30 }}
        writeSnapshot={async () => 'x'}
        clock={() => Date.now()}
        bell={() => {}}
      />,
    );
    cleanup.push(() => r.unmount());
    await waitForFrame(r.lastFrame, (f) => f.includes('AGENT'));
    await waitForInput(r);
    const frame = frameOf(r);
    expect(frame).toMatch(
      /file: status-files agent_workspaces\/\{agent\}\/status\.json - 4 of 4 files parse/,
    );
    expect(frame).toMatch(/no registry: the agents' own sources are compared with each other/);
    expect(frame).toMatch(/READ-ONLY/);
    expect(frame).not.toMatch(/ resolve /);
    r.stdin.write('R');
    await new Promise((res) => setTimeout(res, 100));
    expect(frameOf(r)).not.toMatch(/Resolve \d+ agents?\?/i);
  });
});
