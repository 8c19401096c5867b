// Reading a V8 CPU profile (`node --cpu-prof`): where the time went, by function (self)
// and by call subtree (inclusive), so a missed target names the code that misses it.
import * as fs from 'node:fs';

interface CpuNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: CpuNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  fn: string;
  ms: number;
  pct: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Time not idle. */
  busyMs: number;
  self: ProfileEntry[];
  inclusive: ProfileEntry[];
}

function label(n: CpuNode): string {
  const url = n.callFrame.url
    .replace(/^file:\/\//, '')
    .replace(/.*\/node_modules\//, '')
    .replace(/.*\/dist\//, 'dist/');
  const fn = n.callFrame.functionName || '(anonymous)';
  return url ? `${fn} (${url}:${n.callFrame.lineNumber + 1})` : fn;
}

/** Entries that say where time went in this code (not the runtime's module loader). */
const USEFUL =
  /dist\/|chokidar|readdirp|ink\/|react-reconciler|ansi-tokenize|string-width|yoga|garbage collector|^\w+ \(node:(fs|internal\/fs)/;

/**
 * Summarise a profile. `within` limits it to samples whose stack holds a function matching
 * the pattern (e.g. `^runCheck `); `fromMs`/`toMs` to a time range since the start.
 */
export function summarize(
  file: string,
  opts: { top?: number; within?: RegExp; fromMs?: number; toMs?: number } = {},
): ProfileSummary {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const labels = new Map(p.nodes.map((n) => [n.id, label(n)]));
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let t = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const d = p.timeDeltas[i] ?? 0;
    t += d;
    const ms = t / 1000;
    if (opts.fromMs !== undefined && ms < opts.fromMs) continue;
    if (opts.toMs !== undefined && ms > opts.toMs) continue;
    const chain: number[] = [];
    for (let cur: number | undefined = p.samples[i]; cur !== undefined; cur = parent.get(cur))
      chain.push(cur);
    if (opts.within && !chain.some((id) => opts.within!.test(labels.get(id)!))) continue;
    total += d;
    const own = labels.get(chain[0]!)!;
    if (own === '(idle)') {
      idle += d;
      continue;
    }
    self.set(own, (self.get(own) ?? 0) + d);
    const seen = new Set<string>();
    for (const id of chain) {
      const l = labels.get(id)!;
      if (seen.has(l)) continue;
      seen.add(l);
      incl.set(l, (incl.get(l) ?? 0) + d);
    }
  }
  const busy = total - idle;
  const top = opts.top ?? 12;
  const list = (m: Map<string, number>, filter: (k: string) => boolean) =>
    [...m]
      .filter(([k]) => filter(k))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, us]) => ({
        fn,
        ms: Math.round(us / 100) / 10,
        pct: Math.round((1000 * us) / Math.max(1, busy)) / 10,
      }));
  return {
    file,
    totalMs: Math.round(total / 1000),
    busyMs: Math.round(busy / 1000),
    self: list(self, () => true),
    inclusive: list(incl, (k) => USEFUL.test(k)),
  };
}

export function profileText(s: ProfileSummary, title: string): string {
  const rows = (xs: ProfileEntry[]) =>
    xs
      .map((e) => `| ${e.ms.toFixed(0)} ms | ${e.pct.toFixed(1)}% | \`${e.fn.replace(/\|/g, '\\|')}\` |`)
      .join('\n');
  return [
    `#### ${title}`,
    '',
    `${s.busyMs} ms busy of ${s.totalMs} ms sampled. Self time (the function itself):`,
    '',
    '| time | share of busy | function |',
    '|---:|---:|---|',
    rows(s.self),
    '',
    'Inclusive (the function and what it calls), product and library frames:',
    '',
    '| time | share of busy | function |',
    '|---:|---:|---|',
    rows(s.inclusive),
    '',
  ].join('\n');
}

/**
 * The newest main-thread profile in a folder written after `since` (epoch ms). Names are
 * CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main thread (tsx's
 * loader runs on another one).
 */
export function newestProfile(dir: string, since: number): string | null {
  if (!fs.existsSync(dir)) return null;
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile') && f.split('.')[4] === '0')
    .map((f) => ({ f: `${dir}/${f}`, m: fs.statSync(`${dir}/${f}`).mtimeMs }))
    .filter((x) => x.m >= since)
    .sort((a, b) => b.m - a.m);
  return files[0]?.f ?? null;
}
