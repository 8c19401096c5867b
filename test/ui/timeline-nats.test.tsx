// The detail pane's key history from a real NATS bucket (README.md "The live view",
// "Several hosts"): a real nats-server, several revisions of one agent's key, the config
// read from its file and the timeline data read as the live view reads it
// (src/shell/timeline-data.ts with the store's key history), drawn in the mounted pane.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup as cleanupInk } from 'ink-testing-library';
import { mount, selectedId } from '../helpers/app.js';
import { FakeEngine } from '../helpers/fake-engine.js';
import { KEY } from '../helpers/keys.js';
import { press } from '../helpers/ink.js';
import { natsAvailable } from '../helpers/nats.js';
import { setupNats } from '../helpers/nats-sources.js';
import { loadConfig } from '../../src/shell/probe.js';
import { readTimelineData } from '../../src/shell/timeline-data.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  cleanupInk();
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe.skipIf(!natsAvailable())('detail pane: key history from a real bucket', () => {
  it("shows each revision of the agent's key with its number and value, newest first", async () => {
    const t = await setupNats(cleanup, { agents: 0 });
    const key = 'agents.Agent-2';
    const revs: number[] = [];
    for (const step of ['first', 'second', 'third'])
      revs.push(await t.status.put(key, JSON.stringify({ status: 'working', step })));
    revs.push(await t.status.delete(key).then(async () => (await t.status.get(key))!.revision));
    // Another agent's key is not this agent's history.
    await t.status.put('agents.Agent-1', JSON.stringify({ status: 'idle', step: 'other' }));

    const config = loadConfig(t.root);
    const readTimeline = (agent: string) =>
      readTimelineData({ root: t.root, config, readJournal: async () => ({ entries: [] }) }, agent);
    const engine = new FakeEngine();
    const m = await mount({ size: { columns: 140, rows: 60 }, readTimeline }, engine);
    await press(m.r, 'j', (f) => selectedId(f) === 'Agent-2');
    const f = await press(m.r, KEY.enter, (x) => x.includes(`revision ${revs[3]}`), 10_000);

    const keyRows = f
      .split('\n')
      .filter((l) => l.includes(' key revision '))
      .map((l) => l.replace(/^\d\d-\d\d \d\d:\d\d:\d\d {2}. /, '').trimEnd());
    expect(keyRows).toEqual([
      `agents key revision ${revs[3]}: deleted`,
      `agents key revision ${revs[2]}: {"status":"working","step":"third"}`,
      `agents key revision ${revs[1]}: {"status":"working","step":"second"}`,
      `agents key revision ${revs[0]}: {"status":"working","step":"first"}`,
    ]);
    expect(new Set(revs).size).toBe(4);
    const pane = f.split('\n').slice(f.split('\n').findIndex((l) => l.startsWith('TIMELINE')));
    expect(pane.join('\n')).not.toContain('"other"');
    // Nothing failed to read (a problem is a ✖ line at the pane's top).
    expect(pane[1]).not.toMatch(/^✖/);
  }, 30_000);
});
