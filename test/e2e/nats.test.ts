// NATS JetStream key-value sources against a real nats-server (README.md "Several hosts"):
// check, resolve with compare-and-swap, verify and undo, a rival writer racing resolve,
// log, snapshot and key history, bad credentials, a value that is not JSON. The watch on
// such sources is in nats-watch.test.ts.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KV } from '@nats-io/kv';
import { BIN, PROJECT, requireCurrentDist, runCli, type Run } from '../helpers/cli.js';
import { natsAvailable } from '../helpers/nats.js';
import { setupNats, statusDoc } from '../helpers/nats-sources.js';
import { waitFor } from '../helpers/wait.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** The built binary without blocking this process (the rival writer runs meanwhile). */
function runCliAsync(args: string[], env: Record<string, string> = {}): Promise<Run> {
  requireCurrentDist();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: PROJECT,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const value = async (kv: KV, key: string): Promise<Record<string, unknown> | null> => {
  const e = await kv.get(key);
  return e && e.operation === 'PUT' ? (JSON.parse(e.string()) as Record<string, unknown>) : null;
};

const checkJson = (root: string, env: Record<string, string> = {}) => {
  const r = runCli(['check', '--json', '--root', root], { env });
  return {
    ...r,
    doc: r.stdout
      ? (JSON.parse(r.stdout) as {
          agents: { id: string; verdict: string; reasons: string[] }[];
          sources: Record<string, { healthy: boolean; diagnostics: string[] }>;
        })
      : null,
  };
};

describe.skipIf(!natsAvailable())('NATS key-value sources (real nats-server)', () => {
  it('check reads agents and the registry from their buckets; an id that is no key token is shown decoded', async () => {
    const t = await setupNats(cleanup);
    await t.status.put('agents.agent=2Eodd', statusDoc('agent.odd', 'idle'));
    await t.registry.put('agent-1', JSON.stringify({ status: 'ACTIVE' }));
    await t.registry.put('agent-2', JSON.stringify({ status: 'IDLE' }));
    const r = checkJson(t.root);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const verdicts = Object.fromEntries(r.doc!.agents.map((a) => [a.id, a.verdict]));
    expect(verdicts).toEqual({
      'agent-1': 'in-sync',
      'agent-2': 'drift',
      'agent-3': 'missing',
      'agent.odd': 'missing',
    });
  });

  it('resolve writes with compare-and-swap, verifies by reading back, journals revisions; undo swaps back', async () => {
    const t = await setupNats(cleanup);
    await t.registry.put('agent-1', JSON.stringify({ status: 'IDLE', note: 'kept' }));
    const before = (await t.registry.get('agent-1'))!.revision;
    const r = runCli(['resolve', '--all', '--root', t.root]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await value(t.registry, 'agent-1')).toEqual({ status: 'ACTIVE', note: 'kept' });
    expect(await value(t.registry, 'agent-3')).toEqual({ status: 'ACTIVE' });
    expect(checkJson(t.root).code).toBe(0);
    const journal = fs
      .readFileSync(path.join(t.root, '.sync-tui/journal.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const one = journal.find((e) => e['agent'] === 'agent-1' && e['outcome'] !== 'intent')!;
    expect(one).toMatchObject({
      outcome: 'verified',
      revisionBefore: before,
      revisionAfter: (await t.registry.get('agent-1'))!.revision,
    });
    expect(journal.find((e) => e['agent'] === 'agent-2' && e['outcome'] !== 'intent')).toMatchObject({
      outcome: 'verified',
      revisionBefore: 0,
    });

    // Someone writes agent-2's key after the resolve: undo refuses it, restores the rest.
    await t.registry.put('agent-2', JSON.stringify({ status: 'ACTIVE', by: 'operator' }));
    const u = runCli(['undo', '--root', t.root]);
    // The same value, but not the revision sync-tui wrote: refused, with what stands there.
    expect(u.code).toBe(1);
    expect(u.stdout).toMatch(/agent-2\s+refused.*changed since \(now "ACTIVE"\)/);
    expect(u.stdout).toMatch(/agent-1\s+restored/);
    expect(await value(t.registry, 'agent-1')).toEqual({ status: 'IDLE', note: 'kept' });
    expect(await value(t.registry, 'agent-2')).toEqual({ status: 'ACTIVE', by: 'operator' });
  });

  it('a rival writer racing resolve loses no write (compare-and-swap on every key)', async () => {
    const n = 30;
    const t = await setupNats(cleanup, { agents: n });
    for (let i = 1; i <= n; i++)
      await t.registry.put(`agent-${i}`, JSON.stringify({ status: 'IDLE', rival: 0 }));
    // The rival: read-modify-write with its own CAS, as fast as it can, counting what the
    // server acknowledged.
    const acked = new Map<string, number>();
    let racing = true;
    let conflicts = 0;
    const rival = (async () => {
      for (let round = 0; racing || round < 2; round++) {
        for (let i = 1; i <= n; i++) {
          const key = `agent-${i}`;
          for (;;) {
            const e = (await t.registry.get(key))!;
            const v = JSON.parse(e.string()) as { rival: number };
            v.rival++;
            try {
              await t.registry.update(key, JSON.stringify(v), e.revision);
              acked.set(key, v.rival);
              break;
            } catch {
              conflicts++;
            }
          }
        }
      }
    })();
    // The resolve starts once the rival is busy on every key.
    await waitFor(() => acked.size === n, { timeoutMs: 20_000 });
    const r = await runCliAsync(['resolve', '--all', '--json', '--root', t.root]);
    racing = false;
    await rival;
    expect(r.stderr).toBe('');
    const result = JSON.parse(r.stdout) as { attempts: number; message: string };
    // A rival that never stops may outlast the bounded retries: then the resolve says so,
    // and once the rival is done a second resolve finishes the job. Either way no write is lost.
    if (r.code !== 0) {
      expect(result.message).toMatch(/kept changing under us \(5 attempts\)/);
      expect(runCli(['resolve', '--all', '--root', t.root]).code).toBe(0);
    }
    const journal = fs.readFileSync(path.join(t.root, '.sync-tui/journal.jsonl'), 'utf8');
    // The two really raced: the resolve found keys changed and planned again, or the
    // rival's swap lost to the resolve's.
    expect(result.attempts > 1 || conflicts > 0 || journal.includes('changed the key first')).toBe(true);
    for (let i = 1; i <= n; i++) {
      const v = await value(t.registry, `agent-${i}`);
      // Every acknowledged rival write is there (a blind overwrite would have set it back),
      // and the resolve's value is there too.
      expect(v).toEqual({ status: 'ACTIVE', rival: acked.get(`agent-${i}`) });
    }
  });

  it('log and snapshot work on sources in buckets as on files', async () => {
    const t = await setupNats(cleanup);
    expect(runCli(['resolve', 'agent-2', '--root', t.root]).code).toBe(0);
    const log = runCli(['log', '--root', t.root]);
    expect(log.code).toBe(0);
    expect(log.stdout).toMatch(/resolve\s+1 change\n\s+agent-2\s+status\s+∅ -> "?ACTIVE"?\s+verified/);
    const snap = runCli(['snapshot', '--format', 'text', '--root', t.root]);
    expect(snap.stderr).toBe('');
    expect(snap.code).toBe(0);
    expect(snap.stdout).toMatch(/agent-2\s.*in-sync/);
    expect(snap.stdout).toMatch(/agent-1\s.*missing/);
    // The agent's values as its keys kept them: what, when, which revision.
    await t.status.put('agents.agent-2', statusDoc('agent-2', 'idle'));
    const rep = runCli(['report', '--format', 'json', '--key-history', 'agent-2', '--root', t.root]);
    expect(rep.code).toBe(0);
    const kh = (
      JSON.parse(rep.stdout) as {
        keyHistory: {
          agent: string;
          sources: Record<string, { revision: number; operation: string; value: { status: string } }[]>;
        };
      }
    ).keyHistory;
    expect(kh.agent).toBe('agent-2');
    expect(kh.sources['agents']!.map((h) => h.value.status)).toEqual(['working', 'idle']);
    expect(kh.sources['registry']!.map((h) => [h.operation, h.value.status])).toEqual([['PUT', 'ACTIVE']]);
    expect(kh.sources['registry']![0]!.revision).toBeGreaterThan(0);
    const md = runCli(['report', '--key-history', 'agent-2', '--root', t.root]);
    expect(md.stdout).toMatch(
      /## Key history of agent-2\n\n### agents\n\n\| revision \| at \| operation \| value \|/,
    );
  });

  it('a value that is not JSON makes its agent invalid, as a status file does', async () => {
    const t = await setupNats(cleanup);
    await t.status.put('agents.agent-2', '{"status": "work');
    const r = checkJson(t.root);
    expect(r.code).toBe(1);
    const a2 = r.doc!.agents.find((a) => a.id === 'agent-2')!;
    expect(a2.verdict).toBe('invalid');
    expect(a2.reasons.join(' ')).toMatch(/unexpected end/);
  });

  it('bad credentials: one line, exit 2, and the secret is never printed', async () => {
    const t = await setupNats(cleanup, { token: 'right-token-1234' });
    const bad = runCli(['check', '--root', t.root], { env: { NATS_TOKEN: 'wrong-token-5678' } });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(
      /^sync-tui: source agents: nats nats:\/\/127\.0\.0\.1:\d+: authorization failed/,
    );
    expect(bad.stderr).not.toMatch(/wrong-token|right-token/);
    const unset = runCli(['check', '--root', t.root], { env: { NATS_TOKEN: '' } });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toMatch(/token variable NATS_TOKEN is not set/);
    const good = runCli(['check', '--root', t.root], { env: { NATS_TOKEN: 'right-token-1234' } });
    expect(good.code).toBe(1); // the registry is empty: every agent is missing there
    expect(good.stderr).toBe('');
  });
});
