// Steady churn over a workspace made by bench/workspace.ts (the demo's shape), for the soak
// test (bench/soak.ts): another process writing the way a swarm does, at a steady rate,
// for as long as it runs.
//   node bench/churn.mjs --root DIR --agents N [--seed S] [--rate WRITES_PER_S]
//                        [--rotate-every MS] [--report-every MS]
// Each write is one of:
//   status file (60%)  an agent moves along its FSM (or re-checks in) and rewrites its
//                      status.json, 70% atomically (temp + rename), 30% in place (a reader
//                      can see it half-written); 3% of them are broken on purpose (cut off
//                      or with a second object appended), repaired 1-3 s later.
//   event line (37%)   one JSON line appended to events.jsonl: a heartbeat or a status event.
//   registry (3%)      read-modify-write of the registry's unrelated fields only
//                      (last_updated, contract_history, coordinator_tick), so a watcher's
//                      auto-resolve is kept; 90% atomic, 10% in place.
// Every --rotate-every the event log is rotated, alternating rename (events.jsonl ->
// events.jsonl.1, a new file) and copy-truncate.
// The agents are the workspace's own: initialSim with the same seed, as generateWorkspace.
// Prints a JSON line of counts every --report-every and a last one with "final": true when
// it stops (SIGTERM, SIGINT, or its stdin closing: the parent is gone). Exit 0.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    root: { type: 'string' },
    agents: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '20250914' },
    rate: { type: 'string', default: '30' },
    'rotate-every': { type: 'string', default: '120000' },
    'report-every': { type: 'string', default: '10000' },
  },
});
if (!opt.root) {
  process.stderr.write('churn.mjs: --root DIR is required\n');
  process.exit(2);
}
const root = opt.root;
const agentsN = Number(opt.agents);
const seed = Number(opt.seed);
const rate = Number(opt.rate);
const rotateMs = Number(opt['rotate-every']);
const reportMs = Number(opt['report-every']);

const DIST = new URL('../dist/', import.meta.url);
const sim = await import(new URL('core/demo/simulation.js', DIST).href);
const { FSM_TRANSITIONS } = await import(new URL('core/config/defaults.js', DIST).href);

// The same names as bench/workspace.ts (not imported: that is TypeScript, this runs on plain node).
const REGISTRY = path.join(root, 'coordination_system_state.json');
const EVENTS = path.join(root, 'events.jsonl');
const statusFile = (id) => path.join(root, 'agent_workspaces', id, 'status.json');

const agents = sim.initialSim(agentsN, sim.mulberry32(seed)).agents;
const rng = sim.mulberry32((seed ^ 0x5eed5eed) >>> 0);
const pick = (list) => list[Math.floor(rng() * list.length)];

const counts = {
  writes: 0,
  status: 0,
  broken: 0,
  repairs: 0,
  events: 0,
  registry: 0,
  registrySkipped: 0,
  rotations: 0,
  failed: 0,
};
const started = performance.now();
/** agent index -> when its broken file is rewritten whole. */
const repairs = new Map();

function writeFile(file, text, atomic) {
  if (atomic) {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } else {
    fs.writeFileSync(file, text);
  }
}

function nextFsm(fsm) {
  const options = (FSM_TRANSITIONS[fsm] ?? [])
    .filter((s) => s !== 'ERROR' || rng() < 0.15)
    .filter((s) => s !== 'OFFLINE' || rng() < 0.2);
  return options.length > 0 ? pick(options) : fsm;
}

function statusWrite(now) {
  // A broken file due for repair goes first.
  let i = -1;
  for (const [k, due] of repairs) {
    if (due <= now) {
      i = k;
      repairs.delete(k);
      counts.repairs++;
      break;
    }
  }
  const repairing = i >= 0;
  if (!repairing) i = Math.floor(rng() * agents.length);
  const a = agents[i];
  if (!repairing && rng() < 0.7) a.fsm = nextFsm(a.fsm);
  const good = sim.statusFileText(a, Date.now());
  if (!repairing && !repairs.has(i) && rng() < 0.03) {
    const text =
      rng() < 0.5
        ? good.slice(0, Math.floor(good.length * 0.6))
        : good.trimEnd() + `{"status": "${sim.statusWord(a.fsm, a.style)}"}\n`;
    writeFile(statusFile(a.id), text, false);
    repairs.set(i, now + 1000 + rng() * 2000);
    counts.broken++;
  } else {
    writeFile(statusFile(a.id), good, rng() < 0.7);
    repairs.delete(i);
  }
  counts.status++;
}

function eventWrite() {
  const a = pick(agents);
  const at = new Date().toISOString();
  const line =
    rng() < 0.5
      ? { agent: a.id, type: 'heartbeat', at }
      : { agent: a.id, status: sim.statusWord(a.fsm, a.style), fsm: a.fsm, at };
  fs.appendFileSync(EVENTS, JSON.stringify(line) + '\n');
  counts.events++;
}

function registryWrite() {
  let doc;
  try {
    doc = JSON.parse(fs.readFileSync(REGISTRY, 'utf8'));
  } catch {
    counts.registrySkipped++; // caught mid-write by someone else: next time
    return;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    counts.registrySkipped++;
    return;
  }
  const now = new Date();
  doc.last_updated = now.toISOString().replace('Z', '000').slice(0, 26);
  doc.coordinator_tick = (typeof doc.coordinator_tick === 'number' ? doc.coordinator_tick : 0) + 1;
  const history = Array.isArray(doc.contract_history) ? doc.contract_history : [];
  history.push({ contract: `C-${doc.coordinator_tick}`, agent: pick(agents).id, at: now.toISOString() });
  doc.contract_history = history.slice(-10);
  writeFile(REGISTRY, JSON.stringify(doc, null, 2) + '\n', rng() < 0.9);
  counts.registry++;
}

function rotate() {
  const old = EVENTS + '.1';
  try {
    if (counts.rotations % 2 === 0) {
      fs.renameSync(EVENTS, old);
      fs.appendFileSync(
        EVENTS,
        JSON.stringify({ agent: pick(agents).id, type: 'heartbeat', at: new Date().toISOString() }) + '\n',
      );
    } else {
      fs.copyFileSync(EVENTS, old);
      fs.truncateSync(EVENTS, 0);
    }
    counts.rotations++;
  } catch {
    counts.failed++;
  }
}

function oneWrite(now) {
  const r = rng();
  try {
    if (r < 0.6) statusWrite(now);
    else if (r < 0.97) eventWrite();
    else registryWrite();
    counts.writes++;
  } catch {
    counts.failed++;
  }
}

const report = (final) =>
  process.stdout.write(
    JSON.stringify({ final, elapsedMs: Math.round(performance.now() - started), ...counts }) + '\n',
  );

// A steady rate: a budget of writes grows with the clock; a late tick catches up (at most 1 s).
let budget = 0;
let last = performance.now();
const ticker = setInterval(() => {
  const now = performance.now();
  budget = Math.min(budget + (rate * (now - last)) / 1000, Math.max(1, rate));
  last = now;
  while (budget >= 1) {
    oneWrite(now);
    budget--;
  }
}, 20);
const rotator = rotateMs > 0 ? setInterval(rotate, rotateMs) : null;
const reporter = reportMs > 0 ? setInterval(() => report(false), reportMs) : null;

let stopped = false;
function stop() {
  if (stopped) return;
  stopped = true;
  clearInterval(ticker);
  if (rotator) clearInterval(rotator);
  if (reporter) clearInterval(reporter);
  report(true);
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
