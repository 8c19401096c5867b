// The built TUI in a real terminal: tmux with a private server (`-L`), the way an operator
// runs it. First full frame, peak memory, and idle CPU of the node process, from /proc.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BIN, cpuMs, findNode, memMB, onInterrupt, sleep, until } from './lib.js';

export const hasTmux = (): boolean => spawnSync('tmux', ['-V']).status === 0;

export interface TuiRun {
  socket: string;
  session: string;
  /** The node process of the TUI. */
  pid: number;
  startedAt: number;
  firstFrameMs: number;
  /** From start until the header counts what is read and the first rows are drawn. */
  usefulFrameMs: number | null;
  /** From start until anything of the TUI is on the screen (its title). */
  firstPaintMs: number | null;
  /** From start until the header says the status files are watched. */
  watchReadyMs: number | null;
  /** From start until the CPU quietened after the watcher came up (the re-read done). */
  settledMs: number | null;
  idle: { windowMs: number; cpuMs: number; cpuPct: number; redraws: number; bytes: number; rssMB: number }[];
  hwmMB: number;
  rssMB: number;
  screen: string;
}

export class Tmux {
  constructor(readonly socket: string) {}
  run(...args: string[]): { code: number | null; out: string } {
    const r = spawnSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
    return { code: r.status, out: r.stdout ?? '' };
  }
  screen(session: string): string {
    return this.run('capture-pane', '-p', '-t', session).out;
  }
  /** Stop the private server and remove its socket file (tmux leaves it behind). */
  kill(): void {
    const asked = this.run('display-message', '-p', '#{socket_path}').out.trim();
    // With no session left the server is gone and cannot say; tmux's default place then.
    const socket =
      asked !== ''
        ? asked
        : path.join(process.env['TMUX_TMPDIR'] ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, this.socket);
    this.run('kill-server');
    if (path.basename(socket) === this.socket) fs.rmSync(socket, { force: true });
  }
}

/** The table shows agent rows under its column header. */
function hasRows(lines: string[]): boolean {
  const header = lines.findIndex((l) => l.includes('AGENT') && l.includes('VERDICT'));
  return header >= 0 && lines.slice(header + 1).some((l) => /^..Agent-\d+\s/.test(l));
}

/** The table shows agent rows and the counts line of the whole fleet: sources loaded, table drawn. */
export function fullFrame(screen: string, agents: number): boolean {
  const lines = screen.split('\n');
  const counts = lines.some(
    (l) => l.includes(`${agents} agent`) && /in-sync/.test(l) && !l.includes('reading'),
  );
  return counts && hasRows(lines);
}

/**
 * A useful first frame (issue 14): the header says how much is read so far (or the load is
 * complete) and the first screenful of rows is drawn.
 */
export function usefulFrame(screen: string, agents: number): boolean {
  const lines = screen.split('\n');
  const progress = lines.some((l) => new RegExp(`reading… \\d+ of ${agents} status files`).test(l));
  return (progress && hasRows(lines)) || fullFrame(screen, agents);
}

export interface TuiOptions {
  root: string;
  agents: number;
  socket: string;
  /** Stop after the first frame (more samples of the start), else settle and measure idle. */
  firstFrameOnly?: boolean;
  idleWindowsMs?: number[];
  profileDir?: string;
  work: string;
  columns?: number;
  rows?: number;
}

export async function runTui(opts: TuiOptions): Promise<TuiRun> {
  const tmux = new Tmux(opts.socket);
  const session = 'bench';
  const nodeArgs = opts.profileDir ? [`--cpu-prof`, `--cpu-prof-dir=${opts.profileDir}`] : [];
  const cmd = [
    'exec',
    'env',
    'TZ=UTC',
    JSON.stringify(process.execPath),
    ...nodeArgs,
    JSON.stringify(BIN),
    '--root',
    JSON.stringify(opts.root),
    '--quiet',
  ].join(' ');
  const hwm = { max: 0, rss: 0 };
  let pid = 0;
  const forget = onInterrupt(() => tmux.kill());
  const sampleMem = () => {
    const m = pid ? memMB(pid) : null;
    if (m) {
      hwm.max = Math.max(hwm.max, m.hwm);
      hwm.rss = m.rss;
    }
  };
  try {
    const startedAt = performance.now();
    const r = tmux.run(
      'new-session',
      '-d',
      '-x',
      String(opts.columns ?? 160),
      '-y',
      String(opts.rows ?? 50),
      '-s',
      session,
      cmd,
    );
    if (r.code !== 0) throw new Error(`tmux new-session failed (${r.code})`);
    const panePid = Number(tmux.run('list-panes', '-t', session, '-F', '#{pane_pid}').out.trim());
    let usefulFrameMs: number | null = null;
    let firstPaintMs: number | null = null;
    const screen = await until(
      'the first full frame',
      () => {
        if (!pid) pid = findNode(panePid) ?? 0;
        sampleMem();
        const s = tmux.screen(session);
        if (firstPaintMs === null && s.includes(' sync-tui ')) firstPaintMs = performance.now() - startedAt;
        if (usefulFrameMs === null && usefulFrame(s, opts.agents))
          usefulFrameMs = performance.now() - startedAt;
        return fullFrame(s, opts.agents) ? s : null;
      },
      120_000,
      20,
    );
    const firstFrameMs = performance.now() - startedAt;
    if (!pid) pid = findNode(panePid) ?? panePid;
    const run: TuiRun = {
      socket: opts.socket,
      session,
      pid,
      startedAt,
      firstFrameMs,
      usefulFrameMs,
      firstPaintMs,
      watchReadyMs: null,
      settledMs: null,
      idle: [],
      hwmMB: 0,
      rssMB: 0,
      screen,
    };
    if (opts.firstFrameOnly) {
      sampleMem();
      run.hwmMB = hwm.max;
      run.rssMB = hwm.rss;
      return run;
    }
    // The watcher: the status-files source says "N watched" once chokidar is ready.
    await until(
      'the watcher to be ready',
      () => {
        sampleMem();
        return /\d+ watched/.test(tmux.screen(session).split('\n').slice(0, 3).join('\n'));
      },
      300_000,
      100,
    );
    run.watchReadyMs = performance.now() - startedAt;
    // Then the engine re-reads everything once (a second or so of full CPU at 10,000
    // agents): wait for the first 1 s window under 35% of a core. Redraws of ticking ages
    // (up to a few per second) stay below that; they are part of what idle measures.
    for (let i = 0; i < 120; i++) {
      const c0 = cpuMs(pid) ?? 0;
      await sleep(1000);
      sampleMem();
      const used = (cpuMs(pid) ?? 0) - c0;
      if (used < 350) break;
    }
    run.settledMs = performance.now() - startedAt;
    // Idle windows: CPU from /proc, redraws from what the TUI wrote to the terminal.
    for (const windowMs of opts.idleWindowsMs ?? [60_000]) {
      const capture = path.join(opts.work, `pane-${process.pid}-${run.idle.length}.out`);
      fs.writeFileSync(capture, '');
      tmux.run('pipe-pane', '-o', '-t', session, `cat >> ${JSON.stringify(capture)}`);
      const c0 = cpuMs(pid) ?? 0;
      const t0 = performance.now();
      while (performance.now() - t0 < windowMs) {
        await sleep(Math.min(500, windowMs - (performance.now() - t0)));
        sampleMem();
      }
      const used = (cpuMs(pid) ?? 0) - c0;
      const elapsed = performance.now() - t0;
      tmux.run('pipe-pane', '-t', session); // stop piping
      const out = fs.readFileSync(capture, 'utf8');
      fs.rmSync(capture, { force: true });
      run.idle.push({
        windowMs: elapsed,
        cpuMs: used,
        cpuPct: (100 * used) / elapsed,
        redraws: out.split('AGENT').length - 1,
        bytes: Buffer.byteLength(out),
        rssMB: memMB(pid)?.rss ?? NaN,
      });
    }
    sampleMem();
    run.hwmMB = hwm.max;
    run.rssMB = hwm.rss;
    run.screen = tmux.screen(session);
    return run;
  } finally {
    // Quit the way an operator does (a CPU profile is written on a clean exit), then make sure.
    tmux.run('send-keys', '-t', session, 'q');
    try {
      await until('the TUI to quit', () => tmux.run('has-session', '-t', session).code !== 0, 15_000, 100);
    } catch {
      // killed below
    }
    tmux.kill();
    forget();
  }
}
