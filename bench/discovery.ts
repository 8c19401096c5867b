// Discovery's added time (README.md "Zero config"): `findLayout` on a 10,000-agent tree in a
// layout no fixed list knows, and on a 200,000-file tree holding a few agents. Run:
//   npm run build && npx tsx bench/discovery.ts [--agents 10000] [--files 200000]
// and copy the lines it prints into BENCHMARKS.md.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findLayout } from '../src/shell/probe.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();

function time(root: string): { ms: number; found: string } {
  const t0 = performance.now();
  const r = findLayout(root);
  const ms = performance.now() - t0;
  return {
    ms,
    found: r.ok
      ? (r.config.layout?.sources.map((s) => `${s.kind} ${s.path} (${s.agents})`).join('; ') ?? r.layout)
      : 'nothing found',
  };
}

const agents = arg('agents', 10_000);
const many = fs.mkdtempSync(path.join(base, 'sync-tui-disc-agents-'));
const reg: Record<string, unknown> = {};
for (let i = 0; i < agents; i++) {
  const id = `Agent-${i}`;
  fs.mkdirSync(path.join(many, 'swarm', 'workspaces', id), { recursive: true });
  fs.writeFileSync(
    path.join(many, 'swarm', 'workspaces', id, 'status.json'),
    JSON.stringify({ agent_id: id, status: 'ACTIVE', last_updated: '2025-01-01 00:00:00' }),
  );
  reg[id] = { status: 'ACTIVE', last_seen: '2025-01-01T00:00:00' };
}
fs.mkdirSync(path.join(many, 'swarm', 'coord'));
fs.writeFileSync(path.join(many, 'swarm', 'coord', 'registry.json'), JSON.stringify({ agents: reg }));

const files = arg('files', 200_000);
const wide = fs.mkdtempSync(path.join(base, 'sync-tui-disc-files-'));
for (let i = 0; i < 5; i++) {
  fs.mkdirSync(path.join(wide, 'a', `Agent-${i}`), { recursive: true });
  fs.writeFileSync(
    path.join(wide, 'a', `Agent-${i}`, 'status.json'),
    JSON.stringify({ agent_id: `Agent-${i}`, status: 'IDLE' }),
  );
}
const perDir = 1000;
for (let d = 0; d * perDir < files; d++) {
  const dir = path.join(wide, 'src', `m${d}`);
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < perDir && d * perDir + i < files; i++)
    fs.closeSync(fs.openSync(path.join(dir, `f${i}.${i % 10 === 0 ? 'json' : 'ts'}`), 'w'));
}

try {
  const a = time(many);
  const b = time(wide);
  console.log(
    `- discovery, ${agents.toLocaleString('en')} agents (status files + a registry in a subfolder): ${a.ms.toFixed(0)} ms; found ${a.found}`,
  );
  console.log(
    `- discovery, ${files.toLocaleString('en')} files with 5 agents: ${b.ms.toFixed(0)} ms; found ${b.found}`,
  );
  console.log(
    `- load average after: ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
} finally {
  fs.rmSync(many, { recursive: true, force: true });
  fs.rmSync(wide, { recursive: true, force: true });
}
