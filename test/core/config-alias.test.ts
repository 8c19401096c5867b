// addAlias (src/core/config/config-alias.ts): the alias lands in the right place and nothing else moves.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config/config.js';
import { addAlias } from '../../src/core/config/config-alias.js';

const base = "version: 1\nsources:\n  file:\n    kind: status-files\n    path: 'a/{agent}/status.json'\n";

describe('addAlias', () => {
  it('appends a fields block when there is none, and the config reads the alias', () => {
    const r = addAlias(base, 'status', 'ONBOARDED', 'COMPLETE - LEGENDARY SESSION');
    if (!r.ok) throw new Error(r.message);
    expect(r.text).toBe(
      `${base}fields:\n  status:\n    values:\n      ONBOARDED: ["COMPLETE - LEGENDARY SESSION"]\n`,
    );
    const c = parseConfig(r.text, 'x.yaml');
    expect(c.ok && c.config.fields[0]!.vocabulary.aliases['COMPLETE_LEGENDARY_SESSION']).toBe('ONBOARDED');
  });

  it('adds to a block list at its indentation, keeping the comments after it', () => {
    const text = `${base}fields:\n  status:\n    values:\n      ACTIVE:\n        - GREEN   # ours\n# end\n`;
    const r = addAlias(text, 'status', 'ACTIVE', 'busy');
    expect(r.ok && r.text).toBe(
      `${base}fields:\n  status:\n    values:\n      ACTIVE:\n        - GREEN   # ours\n        - busy\n# end\n`,
    );
  });

  it('adds a missing level through the document, and is a no-op for an alias already there', () => {
    const text = `${base}fields:\n  fsm:\n    values:\n      IDLE: [PAUSED]\n`;
    const r = addAlias(text, 'status', 'READY', 'ready_now');
    if (!r.ok) throw new Error(r.message);
    expect(r.text).toContain('  fsm:\n    values:\n      IDLE: [PAUSED]\n');
    expect(r.text).toMatch(/ {2}status:\n {4}values:\n {6}READY: \[ready_now\]/);
    const again = addAlias(text, 'fsm', 'IDLE', 'PAUSED');
    expect(again).toEqual({ ok: true, text, changed: false });
  });

  it('refuses text that is not YAML, naming why', () => {
    const r = addAlias('a: [', 'status', 'ACTIVE', 'x');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/^the config is not valid YAML/);
  });
});
