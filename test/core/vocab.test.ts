import { describe, expect, it } from 'vitest';
import { booleanMapping, defaultFields, enumMapping } from '../../src/core/config/defaults.js';
import { aliasKey, canonicalize, project, spell } from '../../src/core/observe/vocab.js';

const [status, fsm] = defaultFields() as [
  ReturnType<typeof defaultFields>[0],
  ReturnType<typeof defaultFields>[0],
];
const plain = enumMapping(['status']);

describe('canonicalize', () => {
  it("consults a source's aliases before the field's, the first spelling written winning, every time it is asked", () => {
    const own = {
      ...plain,
      aliases: { 'active-agent mode': 'IDLE', 'ACTIVE AGENT MODE': 'READY', zorp: 'ACTIVE' },
    };
    for (let i = 0; i < 3; i++) {
      expect(canonicalize('ACTIVE_AGENT_MODE', status, own)).toEqual({ kind: 'known', value: 'IDLE' });
      expect(canonicalize(' Zorp ', status, own)).toEqual({ kind: 'known', value: 'ACTIVE' });
      expect(canonicalize('onboarded', status, own)).toEqual({ kind: 'known', value: 'ONBOARDED' });
      expect(canonicalize('zorp', status, plain).kind).toBe('unknown');
    }
  });

  it('maps every spelling of onboarded to one value', () => {
    for (const raw of ['OPERATIONAL', 'onboarded', 'ONBOARDED', 'Onboarded', 'COMPLETED']) {
      expect(canonicalize(raw, status, plain)).toEqual({ kind: 'known', value: 'ONBOARDED' });
    }
  });

  it('maps ACTIVE_AGENT_MODE and active to ACTIVE, a different value', () => {
    expect(canonicalize('ACTIVE_AGENT_MODE', status, plain)).toEqual({ kind: 'known', value: 'ACTIVE' });
    expect(canonicalize('active', status, plain)).toEqual({ kind: 'known', value: 'ACTIVE' });
    expect(canonicalize('active-agent mode', status, plain)).toEqual({ kind: 'known', value: 'ACTIVE' });
  });

  it('keeps unknown values unknown instead of coercing them (the original bug)', () => {
    const r = canonicalize('SUPERCHARGED', status, plain);
    expect(r.kind).toBe('unknown');
    expect(r.kind === 'unknown' && r.reason).toContain("'SUPERCHARGED'");
    expect(canonicalize('READY', fsm, plain)).toEqual({ kind: 'known', value: 'READY' });
  });

  it('treats wrong types as unknown, and null as absent', () => {
    expect(canonicalize(42, status, plain).kind).toBe('unknown');
    expect(canonicalize({ current_state: 'IDLE' }, fsm, plain).kind).toBe('unknown');
    expect(canonicalize(null, status, plain)).toEqual({ kind: 'absent' });
    expect(canonicalize('  ', status, plain).kind).toBe('unknown');
  });

  it('consults per-source aliases before the field vocabulary', () => {
    const m = { ...plain, aliases: { green: 'ACTIVE' } };
    expect(canonicalize('GREEN', status, m)).toEqual({ kind: 'known', value: 'ACTIVE' });
  });

  it('reads booleans only for boolean mappings', () => {
    const b = booleanMapping(['onboarding_status.{agent}']);
    expect(canonicalize(true, status, b)).toEqual({ kind: 'known', value: true });
    expect(canonicalize('true', status, b).kind).toBe('unknown');
  });

  it('normalises alias keys', () => {
    expect(aliasKey(' task-execution ')).toBe('TASK_EXECUTION');
  });
});

describe('project and spell', () => {
  const b = booleanMapping(['x.{agent}']);
  it('projects statuses into a boolean registry', () => {
    expect(project('ONBOARDED', b)).toEqual({ ok: true, value: true });
    expect(project('ACTIVE', b)).toEqual({ ok: true, value: true });
    expect(project('PENDING', b)).toEqual({ ok: true, value: false });
  });
  it('refuses to guess where there is no boolean form', () => {
    const narrow = booleanMapping(['x.{agent}'], ['ONBOARDED'], ['PENDING']);
    const r = project('ACTIVE', narrow);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain('ACTIVE has no true/false form');
  });
  it('spells values in the target case', () => {
    expect(spell('TASK_EXECUTION', enumMapping([], 'lower'))).toBe('task_execution');
    expect(spell('IDLE', enumMapping([]))).toBe('IDLE');
    expect(spell(true, b)).toBe(true);
  });
});
