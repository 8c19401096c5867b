import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config/config.js';

const config = (nats: string, kind = 'registry', fields = '    fields:\n      status: state\n') => `sources:
  agents:
    kind: status-files
    path: agents/{agent}/status.json
  registry:
    kind: ${kind}
    store: nats
    nats:
${nats}
${fields}`;

describe('sources held in a NATS bucket', () => {
  it('builds a store spec; registry paths are relative to the agent value', () => {
    const r = parseConfig(
      config(
        '      servers: [nats://127.0.0.1:4222, "127.0.0.1:4223"]\n      bucket: reg\n      key: "swarm.{agent}"\n      token_env: NATS_TOKEN\n      tls_ca: ca.pem',
      ),
      'c.yaml',
    );
    expect(r.diagnostics).toEqual([]);
    if (!r.ok) throw new Error('config refused');
    const spec = r.config.sources.find((s) => s.name === 'registry')!;
    expect(spec.store).toMatchObject({
      engine: 'nats',
      servers: ['nats://127.0.0.1:4222', '127.0.0.1:4223'],
      bucket: 'reg',
      key: 'swarm.{agent}',
      tokenEnv: 'NATS_TOKEN',
      tlsCa: 'ca.pem',
    });
    expect(spec.fields['status']!.paths).toEqual(['{agent}.state']);
    expect(spec.path).toBe('nats:reg/swarm.{agent}');
    // No secret value is ever part of the spec.
    expect(JSON.stringify(spec)).not.toMatch(/token"?:\s*"[^N]/);
  });

  it('reports a missing bucket, a bad key and a secret given as a variable name, with lines', () => {
    const r = parseConfig(
      config(
        '      servers: nats://127.0.0.1:4222\n      key: "agents-{agent}"\n      token_env: "s3cr3t value"',
      ),
      'c.yaml',
    );
    const text = r.diagnostics.map((d) => `${d.line}: ${d.message}`);
    expect(text).toContainEqual(expect.stringMatching(/^9: sources\.registry\.nats: missing 'bucket'/));
    expect(text).toContainEqual(
      expect.stringMatching(/^10: sources\.registry\.nats\.key: expected \{agent\} as one whole token/),
    );
    expect(text).toContainEqual(
      expect.stringMatching(
        /^11: sources\.registry\.nats\.token_env: expected the name of an environment variable, not its value/,
      ),
    );
    expect(r.ok).toBe(false);
  });

  it('refuses an unknown key with a suggestion, a bad server and a path beside the store', () => {
    const r = parseConfig(
      config('      servers: http://x\n      bucket: reg\n      bukcet: x') + '    path: registry.json\n',
      'c.yaml',
    );
    const text = r.diagnostics.map((d) => `${d.line}: ${d.message}`);
    expect(text).toContainEqual(
      expect.stringMatching(/^11: .*unknown key 'bukcet'; did you mean 'bucket'\?/),
    );
    expect(text).toContainEqual(
      expect.stringMatching(
        /^9: sources\.registry\.nats\.servers: expected nats:\/\/host:port, found 'http:\/\/x'/,
      ),
    );
    expect(text).toContainEqual(
      expect.stringMatching(/^14: sources\.registry\.path: a source held in a store has no path/),
    );
  });

  it('asks for the nats block and a known store engine', () => {
    const r = parseConfig(
      config('      servers: nats://h:1\n      bucket: b').replace('store: nats', 'store: redis'),
      'c.yaml',
    );
    expect(r.diagnostics.map((d) => `${d.line}: ${d.message}`)).toContainEqual(
      expect.stringMatching(/^7: sources\.registry\.store: expected one of nats, found 'redis'/),
    );
  });
});
