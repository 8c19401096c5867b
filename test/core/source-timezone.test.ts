// A time zone per source (README.md "Time zones"): writers of one swarm disagree.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config/config.js';
import { configYaml } from '../../src/core/config/config-writer.js';
import { observeSource } from '../../src/core/observe/normalize.js';

const text = `version: 1
timezone: UTC
sources:
  file:
    kind: status-files
    path: 'a/{agent}/status.json'
    timezone: "+02:00"
  realtime:
    kind: event-log
    path: 'logs/{agent}.jsonl'
`;

describe('per-source timezone', () => {
  it('reads times without a zone in the source\u2019s own zone; others keep the config\u2019s', () => {
    const c = parseConfig(text, 'x.yaml');
    if (!c.ok) throw new Error(c.diagnostics[0]!.message);
    const [file, log] = c.config.sources as [
      NonNullable<(typeof c.config.sources)[0]>,
      NonNullable<(typeof c.config.sources)[0]>,
    ];
    expect(file.timezone).toEqual({ offsetMinutes: 120 });
    expect(log.timezone).toBeUndefined();
    expect(log.path).toBe('logs/{agent}.jsonl');
    const ctx = { fields: c.config.fields, timezone: c.config.timezone, now: Date.UTC(2026, 0, 1) };
    const value = { status: 'ACTIVE', last_updated: '2025-01-01 10:00:00' };
    const doc = {
      agent: 'A',
      file: 'a/A/status.json',
      parse: { ok: true, value, diagnostics: [] },
      mtimeMs: null,
    };
    expect(
      observeSource({ source: 'file', documents: [doc], diagnostics: [], healthy: true }, file, ctx).get('A')!
        .updatedAt,
    ).toBe(Date.UTC(2025, 0, 1, 8));
    expect(
      observeSource(
        {
          source: 'realtime',
          documents: [
            {
              ...doc,
              file: 'logs/A.jsonl',
              parse: { ok: true, value: { status: 'ACTIVE', ts: '2025-01-01 10:00:00' }, diagnostics: [] },
            },
          ],
          diagnostics: [],
          healthy: true,
        },
        log,
        ctx,
      ).get('A')!.updatedAt,
    ).toBe(Date.UTC(2025, 0, 1, 10));
    // init writes it back.
    const back = parseConfig(configYaml(c.config, { layout: 'generic' }), 'y.yaml');
    expect(back.ok && back.config.sources[0]!.timezone).toEqual({ offsetMinutes: 120 });
  });

  it('names the line of a bad zone, and of {agent} twice in an event-log path', () => {
    const bad = parseConfig(text.replace('"+02:00"', 'mars'), 'x.yaml');
    expect(!bad.ok && bad.diagnostics[0]).toMatchObject({
      message: 'sources.file.timezone: expected local, UTC or an offset such as +02:00',
      line: 7,
    });
    const twice = parseConfig(text.replace("'logs/{agent}.jsonl'", "'logs/{agent}/{agent}.jsonl'"), 'x.yaml');
    expect(!twice.ok && twice.diagnostics[0]!.message).toMatch(/expected \{agent\} once/);
  });
});
