// Another process writing to the workspace, the way agents do, so the measured process only
// watches and reads. Prints one JSON line: {"first": epochMs, "last": epochMs, "writes": n}.
//   node bench/writer.mjs storm PLAN.json SPREAD_MS
//     PLAN.json: [[file, text, atomic], ...]; written in slices spread over SPREAD_MS.
//   node bench/writer.mjs events LOG IDS.json LINES CHUNK
//     appends LINES JSON lines in CHUNK-line appends, as fast as it can; the very last line
//     names IDS.marker with IDS.value (no other line names the marker).
import * as fs from 'node:fs';

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const [mode, ...args] = process.argv.slice(2);

if (mode === 'storm') {
  const plan = JSON.parse(fs.readFileSync(args[0], 'utf8'));
  const spread = Number(args[1]);
  const slices = Math.max(1, Math.min(plan.length, Math.floor(spread / 10)));
  const per = Math.ceil(plan.length / slices);
  const start = now();
  let first = NaN;
  let last = NaN;
  let writes = 0;
  for (let s = 0; s < slices; s++) {
    for (const [file, text, atomic] of plan.slice(s * per, (s + 1) * per)) {
      if (Number.isNaN(first)) first = now();
      if (atomic) {
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, text);
        fs.renameSync(tmp, file);
      } else {
        fs.writeFileSync(file, text);
      }
      last = now();
      writes++;
    }
    // Keep to the schedule: slice s ends at start + (s + 1) * spread / slices.
    const due = start + ((s + 1) * spread) / slices - now();
    if (due > 0) await sleep(due);
  }
  process.stdout.write(JSON.stringify({ first, last, writes }) + '\n');
} else if (mode === 'events') {
  const [log, idsFile, linesArg, chunkArg] = args;
  const { ids, marker, value } = JSON.parse(fs.readFileSync(idsFile, 'utf8'));
  const lines = Number(linesArg);
  const chunk = Number(chunkArg);
  const states = ['IDLE', 'ACTIVE', 'TASK_EXECUTION', 'READY', 'BLOCKED', 'ONBOARDED'];
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  let first = NaN;
  let last = NaN;
  let written = 0;
  let writes = 0;
  while (written < lines) {
    const n = Math.min(chunk, lines - written);
    const at = new Date().toISOString();
    let text = '';
    for (let i = 0; i < n; i++) {
      const isLast = written + i === lines - 1;
      if (isLast) {
        text += JSON.stringify({ agent: marker, status: value, fsm: value, at }) + '\n';
      } else if (rand() < 0.5) {
        text += JSON.stringify({ agent: ids[Math.floor(rand() * ids.length)], type: 'heartbeat', at }) + '\n';
      } else {
        const s = states[Math.floor(rand() * states.length)];
        text += JSON.stringify({ agent: ids[Math.floor(rand() * ids.length)], status: s, fsm: s, at }) + '\n';
      }
    }
    if (Number.isNaN(first)) first = now();
    fs.appendFileSync(log, text);
    last = now();
    written += n;
    writes++;
  }
  process.stdout.write(JSON.stringify({ first, last, writes, lines: written }) + '\n');
} else {
  process.stderr.write(`writer.mjs: unknown mode ${mode}\n`);
  process.exit(2);
}
