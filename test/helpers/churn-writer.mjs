// Child processes for test/e2e/concurrent-writers.test.ts: the programs that share a
// workspace with `sync-tui watch --auto-resolve`.
//
//   node churn-writer.mjs agent '<json options>'
//       An agent runtime: rewrites the status files of its agents (each file has exactly one
//       writer), atomically (temp file + rename) or in place (truncate, then write in two
//       steps, as a careless script does: a reader can see it half done).
//   node churn-writer.mjs rival '<json options>'
//       A coordinator: a guard-free read-modify-write of the registry (it writes a temp file
//       and renames it over the registry without re-checking), touching only ITS fields:
//       `rival_seq` (a counter kept in memory), `coordinator` and `agents.<id>.task`. Like a
//       coordinator that holds its state in memory, every write carries all of its fields,
//       so a write of its that someone else took back is restored by its next one.
//   node --import churn-writer.mjs dist/cli.js watch ...   (with SYNC_TUI_CHURN_TRACE set)
//       A tracer preloaded into the sync-tui binary ($SYNC_TUI_CHURN_REGISTRY names the
//       registry): it wraps node:fs (open, openSync, lstat, close, rename, renameSync) to
//       note, for every replacement of the registry, when sync-tui last looked at the
//       registry before it (stamped before the open is issued), which `rival_seq` the new
//       content carries (read when the temp file is closed, before that look, so nothing is
//       added between the look and the rename) and how many replace attempts were made.
//       Written as JSON to $SYNC_TUI_CHURN_TRACE when the process exits. What sync-tui does
//       is unchanged.
//
// Options (agent, rival): { root, registry?, agents: [ids], inPlace?: true | 'mixed',
//   seconds, stopFile, log, minDelayMs, maxDelayMs, seed }. Writers stop when `seconds`
// have passed, when `stopFile` exists, or on SIGTERM, and then write `log` (JSON): writes,
// the last value written per key, and every anomaly seen.
//
// What the rival checks is exact: it is the only writer of its fields, so every read must
// show the last values it wrote; anything else is a write of the rival that another writer
// (sync-tui, the only other writer of the registry) replaced. Each write is logged with the
// time (Date.now(), taken after the rename returned) so the test can tell writes sync-tui
// could have seen from writes that landed in the window between its last look and its rename.
import * as fs from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const runAsMain =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);

if (!runAsMain) {
  if (process.env['SYNC_TUI_CHURN_TRACE'])
    installTracer(process.env['SYNC_TUI_CHURN_TRACE'], process.env['SYNC_TUI_CHURN_REGISTRY']);
} else {
  await runWriter();
}

function installTracer(traceFile, registry) {
  const require = createRequire(import.meta.url);
  const cjs = require('node:fs');
  const target = path.resolve(registry);
  const tempPrefix = path.join(path.dirname(target), `.${path.basename(target)}.sync-tui-`);
  const real = {
    open: cjs.open,
    openSync: cjs.openSync,
    lstat: cjs.lstat,
    close: cjs.close,
    rename: cjs.rename,
    renameSync: cjs.renameSync,
  };
  const trace = { attempts: 0, renames: [], renameErrors: 0 };
  const tempFds = new Map(); // fd -> temp path
  const tempSeq = new Map(); // temp path -> rival_seq it holds
  let lastLookAt = null;
  const isTarget = (file) => typeof file === 'string' && path.resolve(file) === target;
  const reading = (flags) => typeof flags === 'number' && (flags & 3) === 0;
  // Every look at the registry before a rename: the guard's reads (async) and the last look
  // right before the rename (sync). Stamped BEFORE the open is issued.
  cjs.open = function (file, flags, ...rest) {
    if (isTarget(file) && reading(flags)) lastLookAt = Date.now();
    if (typeof file === 'string' && path.resolve(file).startsWith(tempPrefix)) {
      const cb = rest[rest.length - 1];
      rest[rest.length - 1] = (err, fd) => {
        if (!err) tempFds.set(fd, path.resolve(file));
        cb(err, fd);
      };
    }
    return real.open.call(this, file, flags, ...rest);
  };
  cjs.openSync = function (file, flags, ...rest) {
    if (isTarget(file) && reading(flags)) lastLookAt = Date.now();
    return real.openSync.call(this, file, flags, ...rest);
  };
  // replaceIfUnchanged starts with an lstat of the target: one per attempt.
  cjs.lstat = function (file, ...rest) {
    if (isTarget(file)) trace.attempts++;
    return real.lstat.call(this, file, ...rest);
  };
  // The temp file is complete when it is closed, before the last look: note what it holds
  // then, so that nothing is added between the look and the rename.
  cjs.close = function (fd, cb) {
    const tmp = tempFds.get(fd);
    if (tmp !== undefined) {
      tempFds.delete(fd);
      try {
        tempSeq.set(tmp, JSON.parse(cjs.readFileSync(tmp, 'utf8')).rival_seq ?? null);
      } catch {
        tempSeq.set(tmp, 'unreadable');
      }
    }
    return real.close.call(this, fd, cb);
  };
  // issuedAt: stamped before the rename is issued (the earliest it can have happened);
  // doneAt: after it returned (the latest).
  const noteRename = (from, issuedAt, lookedAt, err) => {
    const seq = tempSeq.has(path.resolve(from)) ? tempSeq.get(path.resolve(from)) : 'unknown';
    tempSeq.delete(path.resolve(from));
    const entry = { seq, lookedAt, issuedAt, doneAt: Date.now() };
    if (err) {
      trace.renameErrors++;
      entry.error = err.code ?? String(err);
    }
    trace.renames.push(entry);
  };
  cjs.renameSync = function (from, to) {
    if (!isTarget(to)) return real.renameSync.call(this, from, to);
    const lookedAt = lastLookAt;
    const issuedAt = Date.now();
    try {
      const r = real.renameSync.call(this, from, to);
      noteRename(from, issuedAt, lookedAt, null);
      return r;
    } catch (e) {
      noteRename(from, issuedAt, lookedAt, e);
      throw e;
    }
  };
  cjs.rename = function (from, to, cb) {
    if (!isTarget(to)) return real.rename.call(this, from, to, cb);
    const lookedAt = lastLookAt;
    const issuedAt = Date.now();
    return real.rename.call(this, from, to, (err) => {
      noteRename(from, issuedAt, lookedAt, err);
      cb(err);
    });
  };
  syncBuiltinESMExports();
  process.on('exit', () => {
    try {
      cjs.writeFileSync(traceFile, JSON.stringify(trace));
    } catch {
      // nothing to do at exit
    }
  });
}

async function runWriter() {
  const [mode, optionsText] = process.argv.slice(2);
  const o = JSON.parse(optionsText ?? '{}');
  const deadline = Date.now() + o.seconds * 1000;
  let stopping = false;
  process.on('SIGTERM', () => (stopping = true));

  // A small deterministic PRNG (mulberry32), so a run can be replayed with its seed.
  let seed = (o.seed ?? 1) >>> 0;
  const random = () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (list) => list[Math.floor(random() * list.length)];
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const min = o.minDelayMs ?? 10;
  const max = o.maxDelayMs ?? 40;
  const pause = () => sleep(min + random() * (max - min));
  const done = () => stopping || Date.now() >= deadline || fs.existsSync(o.stopFile);
  const writeLog = (result) => {
    fs.writeFileSync(o.log + '.tmp', JSON.stringify(result));
    fs.renameSync(o.log + '.tmp', o.log);
  };

  // Operating states: the default FSM lets each of them reach every other.
  const FSM = ['IDLE', 'READY', 'ACTIVE', 'TASK_EXECUTION', 'BLOCKED'];
  const STATUS_OF = {
    IDLE: 'IDLE',
    READY: 'READY',
    ACTIVE: 'ACTIVE',
    TASK_EXECUTION: 'ACTIVE',
    BLOCKED: 'BLOCKED',
  };

  if (mode === 'agent') {
    const final = {};
    const anomalies = [];
    let writes = 0;
    let inPlaceWrites = 0;
    while (!done()) {
      const id = pick(o.agents);
      const file = path.join(o.root, 'agents', id, 'status.json');
      // Read-modify-write of our own file: nobody else writes it, so it must parse and hold
      // what we wrote last (sync-tui never writes status files).
      let doc;
      try {
        doc = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (e) {
        anomalies.push({ kind: 'torn-own-file', agent: id, error: String(e) });
        doc = { agent_id: id, seq: final[id]?.seq ?? 0 };
      }
      if (final[id] && (doc.seq !== final[id].seq || doc.fsm_state !== final[id].fsm))
        anomalies.push({
          kind: 'own-file-changed',
          agent: id,
          expected: final[id],
          found: { seq: doc.seq, fsm: doc.fsm_state },
        });
      const fsm = pick(FSM.filter((s) => s !== doc.fsm_state));
      const next = {
        ...doc,
        status: STATUS_OF[fsm],
        fsm_state: fsm,
        seq: (doc.seq ?? 0) + 1,
        last_updated: new Date().toISOString(),
        writer: process.pid,
      };
      const text = JSON.stringify(next, null, 2) + '\n';
      if (o.inPlace === true || (o.inPlace === 'mixed' && random() < 0.5)) {
        const fd = fs.openSync(file, 'w');
        const cut = Math.floor(text.length / 2);
        fs.writeSync(fd, text.slice(0, cut));
        fs.writeSync(fd, text.slice(cut));
        fs.closeSync(fd);
        inPlaceWrites++;
      } else {
        const tmp = path.join(path.dirname(file), `.status.json.${process.pid}.tmp`);
        fs.writeFileSync(tmp, text);
        fs.renameSync(tmp, file);
      }
      writes++;
      final[id] = { seq: next.seq, fsm, status: next.status };
      await pause();
    }
    writeLog({ mode, pid: process.pid, writes, inPlaceWrites, final, anomalies });
    return;
  }

  if (mode === 'rival') {
    const file = o.registry;
    const anomalies = [];
    const tasks = {}; // agent -> the last task we wrote
    let seq = 0; // the last rival_seq we wrote (kept in memory, never taken from the file)
    let reads = 0;
    const writes = []; // [seq, Date.now() after the rename returned]
    let repairs = 0;
    // After the stop: look again a few times, as a coordinator's next heartbeats would, and
    // put back a last write of ours that someone took back (counted as an anomaly first).
    let rounds = 0;
    for (;;) {
      const stop = done();
      if (stop && rounds >= 3) break;
      if (stop) {
        rounds++;
        await sleep(250);
      }
      const text = fs.readFileSync(file, 'utf8');
      reads++;
      let doc;
      try {
        doc = JSON.parse(text);
      } catch (e) {
        anomalies.push({ kind: 'torn-registry', error: String(e), length: text.length });
        await pause();
        continue;
      }
      const at = Date.now();
      let lost = false;
      if (doc.rival_seq !== seq) {
        anomalies.push({ kind: 'lost-rival-seq', expected: seq, found: doc.rival_seq ?? null, at });
        lost = true;
      }
      for (const [id, task] of Object.entries(tasks)) {
        if (doc.agents?.[id]?.task !== task) {
          anomalies.push({
            kind: 'lost-rival-task',
            agent: id,
            expected: task,
            found: doc.agents?.[id]?.task ?? null,
            at,
          });
          lost = true;
        }
      }
      if (stop && !lost) continue;
      if (stop) repairs++;
      // Our fields from memory, everything else as read (no re-check before the rename).
      seq++;
      const id = pick(o.agents);
      tasks[id] = `T-${seq}`;
      doc.rival_seq = seq;
      doc.coordinator = { ...(doc.coordinator ?? {}), heartbeat: new Date().toISOString(), pid: process.pid };
      for (const [agent, task] of Object.entries(tasks)) doc.agents[agent] = { ...doc.agents[agent], task };
      const tmp = path.join(path.dirname(file), `.${path.basename(file)}.rival-${process.pid}.tmp`);
      fs.writeFileSync(tmp, JSON.stringify(doc, null, 2) + '\n');
      fs.renameSync(tmp, file);
      writes.push([seq, Date.now()]);
      if (!stop) await pause();
    }
    writeLog({ mode, pid: process.pid, reads, writes, repairs, lastSeq: seq, tasks, anomalies });
    return;
  }

  process.stderr.write(`churn-writer: unknown mode ${mode}\n`);
  process.exit(2);
}
