import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  agentOfKey,
  decodeKeyToken,
  encodeKeyToken,
  keyFilter,
  keyOf,
  splitKeyPattern,
} from '../../src/core/key-token.js';

describe('agent ids as key tokens', () => {
  it('keeps plain ids as they are and encodes the rest reversibly', () => {
    expect(encodeKeyToken('Agent-7_b')).toBe('Agent-7_b');
    expect(encodeKeyToken('a.b')).toBe('a=2Eb');
    expect(encodeKeyToken('a=b')).toBe('a=3Db');
    expect(encodeKeyToken('agent é*')).toBe('agent=20=C3=A9=2A');
    expect(decodeKeyToken('agent=20=C3=A9=2A')).toBe('agent é*');
  });

  it('decodes only the spelling it makes', () => {
    expect(decodeKeyToken('=41')).toBeNull(); // `A` is written as itself
    expect(decodeKeyToken('a=2')).toBeNull();
    expect(decodeKeyToken('a.b')).toBeNull();
    expect(decodeKeyToken('=FF')).toBeNull(); // not UTF-8
    expect(decodeKeyToken('')).toBeNull();
  });

  it('round-trips every id and makes only NATS token characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), (id) => {
        const token = encodeKeyToken(id);
        expect(token).toMatch(/^[A-Za-z0-9_=-]+$/);
        expect(decodeKeyToken(token)).toBe(id);
      }),
    );
  });

  it('places the token in a key pattern and finds the agent of a key', () => {
    const p = splitKeyPattern('swarm.agents.{agent}')!;
    expect(keyOf(p, 'a.b')).toBe('swarm.agents.a=2Eb');
    expect(agentOfKey(p, 'swarm.agents.a=2Eb')).toBe('a.b');
    expect(agentOfKey(p, 'swarm.agents.x.y')).toBeNull();
    expect(agentOfKey(p, 'other.x')).toBeNull();
    expect(keyFilter(p)).toBe('swarm.agents.*');
    expect(splitKeyPattern('agents{agent}')).toBeNull();
    expect(splitKeyPattern('a.{agent}.{agent}')).toBeNull();
    expect(splitKeyPattern('{agent}.status')).toEqual({ prefix: '', suffix: '.status' });
  });
});
