// `check --json` is written agent by agent (src/core/report/json-stream.ts); its text must be the
// one the whole-document builder gave, on the fixtures and on a generated fleet.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonChunks } from '../../src/core/report/json-stream.js';
import { reconcile } from '../../src/core/reconcile/reconcile.js';
import { agentJson, lazyCheckJson, sourceHealth } from '../../src/core/report/report.js';
import { escapeJsonText } from '../../src/core/sanitize.js';
import { initialSim, mulberry32, registryText, statusFileText } from '../../src/core/demo/simulation.js';
import { formatIso } from '../../src/core/time.js';
import { loadConfig } from '../../src/shell/probe.js';
import { readAll } from '../../src/shell/sources.js';
import { FIXTURES, tempDir } from '../helpers/cli.js';

const NOW = Date.UTC(2026, 0, 15, 12);

/** The builder `check --json` used before streaming: the whole document, then its text. */
function wholeDocument(root: string): { streamed: string; whole: string } {
  const config = loadConfig(root, undefined);
  const reads = readAll(root, config.sources);
  const recon = reconcile(reads, config, NOW);
  // Health is not what streaming changes: computed as check computes it.
  const health = sourceHealth(reads, config);
  const names = config.fields.map((f) => f.name);
  const old = {
    root,
    generatedAt: formatIso(NOW),
    summary: recon.summary,
    agents: recon.agents.map((a) => agentJson(a, names)),
    sources: health,
  };
  const whole = escapeJsonText(JSON.stringify(old, null, 2));
  const streamed = [...jsonChunks(lazyCheckJson(root, recon, names, NOW, health), 2)]
    .map(escapeJsonText)
    .join('');
  return { streamed, whole };
}

describe('check --json, streamed', () => {
  for (const name of fs.readdirSync(path.join(FIXTURES, 'workspaces'))) {
    it(`is byte for byte the whole document's text: fixture ${name}`, () => {
      const { streamed, whole } = wholeDocument(path.join(FIXTURES, 'workspaces', name));
      expect(streamed.length).toBeGreaterThan(100);
      expect(streamed).toBe(whole);
    });
  }

  it("is byte for byte the whole document's text: a generated fleet of 300 agents", () => {
    const root = tempDir('sync-tui-stream-');
    const sim = initialSim(300, mulberry32(7));
    for (const a of sim.agents) {
      fs.mkdirSync(path.join(root, 'agent_workspaces', a.id), { recursive: true });
      fs.writeFileSync(
        path.join(root, 'agent_workspaces', a.id, 'status.json'),
        statusFileText(a, NOW - 60_000),
      );
    }
    fs.writeFileSync(path.join(root, 'coordination_system_state.json'), registryText(sim, NOW - 60_000));
    const { streamed, whole } = wholeDocument(root);
    expect(JSON.parse(streamed).agents).toHaveLength(300);
    expect(streamed).toBe(whole);
  });
});
