// Applies the demo simulation to a real folder on a timer.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  adoptRegistry,
  initialOps,
  initialSim,
  mulberry32,
  step,
  type Rng,
  type SimOp,
  type SimState,
} from '../core/demo/simulation.js';

export const DEMO_REGISTRY = 'coordination_system_state.json';
export const DEMO_EVENTS = 'events.jsonl';

export interface SimulatorOptions {
  agents: number;
  seed: number;
  /** Milliseconds between ticks. */
  intervalMs: number;
  clock?: () => number;
  /**
   * Where the operations go instead of the folder (the NATS demo, README.md "Several
   * hosts"), and where the coordinator re-reads its registry from.
   */
  sink?: SimSink;
}

export interface SimSink {
  apply(op: SimOp): void;
  /** The registry as the coordinator would read it back; null when not known yet. */
  registryDoc(): unknown;
}

function applyOp(root: string, op: SimOp): void {
  if (op.kind === 'event') {
    fs.appendFileSync(path.join(root, DEMO_EVENTS), op.line + '\n');
    return;
  }
  const file =
    op.kind === 'registry'
      ? path.join(root, DEMO_REGISTRY)
      : path.join(root, 'agent_workspaces', op.agent, 'status.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (op.atomic) {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, op.text);
    fs.renameSync(tmp, file);
  } else {
    // In place, the way the real agents and coordinator wrote.
    fs.writeFileSync(file, op.text);
  }
}

export class Simulator {
  private state: SimState;
  private readonly rng: Rng;
  private timer: NodeJS.Timeout | null = null;
  private readonly clock: () => number;
  ticks = 0;
  lastError: string | null = null;

  constructor(
    readonly root: string,
    private readonly opts: SimulatorOptions,
  ) {
    this.rng = mulberry32(opts.seed);
    this.clock = opts.clock ?? Date.now;
    this.state = initialSim(opts.agents, this.rng);
  }

  /** Write the initial workspace. */
  seed(): void {
    const sink = this.opts.sink;
    if (sink === undefined) fs.mkdirSync(path.join(this.root, 'agent_workspaces'), { recursive: true });
    for (const op of initialOps(this.state, this.clock()))
      if (sink) sink.apply(op);
      else applyOp(this.root, op);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.opts.intervalMs);
  }

  tick(): void {
    try {
      // The coordinator re-reads its registry first, so an operator's resolution sticks.
      const sink = this.opts.sink;
      try {
        this.state = adoptRegistry(
          this.state,
          sink
            ? sink.registryDoc()
            : JSON.parse(fs.readFileSync(path.join(this.root, DEMO_REGISTRY), 'utf8')),
        );
      } catch {
        // Mid-write or damaged: keep the coordinator's own picture.
      }
      const next = step(this.state, this.rng, this.clock());
      this.state = next.state;
      for (const op of next.ops)
        if (sink) sink.apply(op);
        else applyOp(this.root, op);
      this.ticks++;
    } catch (e) {
      // The workspace may be going away under us at exit; never crash the demo.
      this.lastError = e instanceof Error ? e.message : String(e);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
