import { describe, expect, it } from 'vitest';
import { parseConfig, parseTimeZone } from '../../src/core/config/config.js';

const good = `# sync-tui config
timezone: UTC
stale: 30m
sources:
  file:
    kind: status-files
    path: agent_workspaces/{agent}/status.json
  display:
    kind: registry
    path: coordination_system_state.json
    fields:
      status:
        paths: ["onboarding_status.{agent}"]
        type: boolean
        true: [ONBOARDED, ACTIVE]
        false: [PENDING]
      fsm:
        paths:
          - agent_fsm_states.{agent}
        case: lower
  realtime:
    kind: event-log
    path: events.jsonl
    stale: 2m
fields:
  status:
    values:
      ACTIVE: [GREEN_LIGHT]
policy:
  truth:
    fsm: [realtime, file]
`;

describe('parseConfig', () => {
  it('builds a config with defaults filled in', () => {
    const r = parseConfig(good, 'sync-tui.config.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const c = r.config;
    expect(c.timezone).toBe('UTC');
    expect(c.sources.map((s) => [s.name, s.kind, s.required, s.staleAfterMs])).toEqual([
      ['file', 'status-files', true, 30 * 60_000],
      ['display', 'registry', true, 30 * 60_000],
      ['realtime', 'event-log', false, 2 * 60_000],
    ]);
    expect(c.policy.target).toBe('display');
    expect(c.policy.truth).toEqual({ status: 'newest', fsm: ['realtime', 'file'] });
    const display = c.sources[1]!;
    expect(display.fields['status']).toMatchObject({
      type: 'boolean',
      paths: ['onboarding_status.{agent}'],
      trueValues: ['ONBOARDED', 'ACTIVE'],
      falseValues: ['PENDING'],
    });
    expect(display.fields['fsm']).toMatchObject({ writeCase: 'lower', paths: ['agent_fsm_states.{agent}'] });
    expect(c.sources[0]!.fields['fsm']!.paths[0]).toBe('fsm_state.current_state');
    const status = c.fields.find((f) => f.name === 'status')!;
    expect(status.vocabulary.aliases['GREEN_LIGHT']).toBe('ACTIVE');
    expect(status.vocabulary.aliases['OPERATIONAL']).toBe('ONBOARDED');
  });

  it('names the line of an unknown key and suggests the right one', () => {
    const r = parseConfig(good.replace('    stale: 2m', '    stael: 2m'), 'c.yaml');
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ file: 'c.yaml', line: 24, column: 5 });
    expect(r.diagnostics[0]!.message).toBe(
      "sources.realtime: unknown key 'stael'; did you mean 'stale'? (expected one of: kind, path, format, fields, updated_at, id, required, stale, timezone, store, nats)",
    );
  });

  it('names the line of a wrong type', () => {
    const r = parseConfig(good.replace('stale: 30m', 'stale: soon'), 'c.yaml');
    expect(r.diagnostics[0]).toMatchObject({
      line: 3,
      message: 'stale: expected a duration such as 30s, 15m, 2h or 1d',
    });
    const r2 = parseConfig(good.replace('kind: event-log', 'kind: kafka'), 'c.yaml');
    expect(r2.diagnostics[0]).toMatchObject({
      line: 22,
      message: "sources.realtime.kind: expected one of status-files, registry, event-log, found 'kafka'",
    });
  });

  it('reports YAML syntax errors with their position', () => {
    const r = parseConfig('sources:\n  file: [unclosed\n', 'c.yaml');
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'config-syntax', file: 'c.yaml' });
    expect(r.diagnostics[0]!.line).toBeGreaterThan(0);
  });

  it('rejects a registry path without {agent}, a pattern without one, and paths out of the root', () => {
    const r = parseConfig(
      `sources:\n  file:\n    kind: status-files\n    path: ../status.json\n  display:\n    kind: registry\n    path: reg.json\n    fields:\n      status: agents.status\n`,
      'c.yaml',
    );
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      'sources.file.path: expected exactly one path segment holding {agent}, e.g. agents/{agent}/status.json',
      'sources.file.path: expected a path inside the root',
      'sources.display.fields.status: registry paths need an {agent} segment',
    ]);
  });

  it('rejects a truth policy naming no source, and an unknown target', () => {
    const r = parseConfig(
      good.replace('fsm: [realtime, file]', 'fsm: [kafka]') + '  target: nowhere\n',
      'c.yaml',
    );
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      "policy.truth.fsm: expected 'newest' or a list of source names; no source named 'kafka'",
      "policy.target: no source named 'nowhere' (sources: file, display, realtime)",
    ]);
  });

  it('validates FSM transitions against the vocabulary', () => {
    const r = parseConfig(
      good.replace('\nfields:\n', '\nfields:\n  fsm:\n    transitions:\n      IDLE: [WARP]\n'),
      'c.yaml',
    );
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]!.message).toBe(
      'fields.fsm.transitions: transition IDLE -> WARP names unknown state WARP; add it to fields.fsm.values',
    );
  });

  it('requires sources', () => {
    const r = parseConfig('timezone: local\n', 'c.yaml');
    expect(r.diagnostics[0]!.message).toBe('sources: missing; name at least one source and its path');
  });
});

describe('parseTimeZone', () => {
  it('reads local, UTC and offsets', () => {
    expect(parseTimeZone('local')).toBe('local');
    expect(parseTimeZone('utc')).toBe('UTC');
    expect(parseTimeZone('+02:00')).toEqual({ offsetMinutes: 120 });
    expect(parseTimeZone('-0530')).toEqual({ offsetMinutes: -330 });
    expect(parseTimeZone('Mars/Olympus')).toBeNull();
  });
});
