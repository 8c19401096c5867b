// `sync-tui push`: mirror local status files into a NATS bucket (README.md "Several hosts").
import * as path from 'node:path';
import { sanitizeText, stringifyForTerminal } from '../core/sanitize.js';
import type { SourceSpec } from '../core/types.js';
// The NATS clients and the watcher are loaded when `push` runs: other commands do not pay for them.
import type { PushReport } from '../shell/nats/push.js';
import { loadConfig, UsageError } from '../shell/probe.js';
import { splitAgentPattern } from '../core/ids.js';
import { onTerminate } from './signals.js';

export interface PushOptions {
  root: string;
  config?: string;
  from?: string;
  to?: string;
  once?: boolean;
  json?: boolean;
}

function pick(sources: SourceSpec[], name: string | undefined, store: boolean, flag: string): SourceSpec {
  const fit = sources.filter((s) => s.kind === 'status-files' && !!s.store === store);
  const found = name === undefined ? fit[0] : fit.find((s) => s.name === name);
  if (found) return found;
  const what = store
    ? 'a status-files source held in a NATS bucket (store: nats)'
    : 'a status-files source of local files';
  throw new UsageError(
    name === undefined
      ? `push needs ${what} in the config`
      : `${flag} ${name}: expected ${what} (found: ${fit.map((s) => s.name).join(', ') || 'none'})`,
  );
}

function line(r: PushReport): string {
  return sanitizeText(
    `${r.agent}  ${r.outcome}${r.revision !== undefined ? `  revision ${r.revision}` : ''}${r.message ? `  ${r.message}` : ''}`,
  );
}

export async function runPush(
  opts: PushOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const root = path.resolve(opts.root);
  const config = loadConfig(root, opts.config);
  const from = pick(config.sources, opts.from, false, '--from');
  const to = pick(config.sources, opts.to, true, '--to');
  const { Pusher } = await import('../shell/nats/push.js');
  const pusher = await Pusher.open(root, config, from, to);
  const print = (reports: PushReport[]) => {
    for (const r of reports)
      out.write(
        (opts.json ? stringifyForTerminal({ v: 1, at: new Date().toISOString(), ...r }) : line(r)) + '\n',
      );
  };
  try {
    if (opts.once) {
      const first = await pusher.pushAll();
      print(first);
      const count = (o: string) => first.filter((r) => r.outcome === o).length;
      if (!opts.json)
        out.write(
          `pushed ${first.length} agents to ${to.path}: ${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged, ${count('newer')} newer in the bucket, ${count('failed')} failed\n`,
        );
      return first.some((r) => r.outcome === 'failed') ? 1 : 0;
    }
    // Watch first, push second (as the engine reads): a file written once the first pass
    // has begun has an event still to come.
    const p = splitAgentPattern(from.path)!;
    const { watchTargets } = await import('../shell/watcher.js');
    const watcher = watchTargets(
      [
        {
          id: from.name,
          root,
          kind: 'folder-of-agents',
          path: p.dir === '' ? '.' : p.dir,
          depth: p.rest === '' ? 0 : p.rest.split('/').length,
          accept: (rel) => pusher.agentOfPath(rel) !== null,
        },
      ],
      (batches) => {
        const agents = new Set<string>();
        for (const b of batches)
          for (const rel of b.paths) {
            const a = pusher.agentOfPath(rel.split(path.sep).join('/'));
            if (a !== null) agents.add(a);
          }
        // Each push reads the file as it is now; a push racing another is settled by the swap.
        void Promise.all([...agents].map((a) => pusher.push(a))).then((rs) =>
          print(rs.filter((r) => r.outcome !== 'unchanged' && r.outcome !== 'gone')),
        );
      },
    );
    await watcher.ready;
    print((await pusher.pushAll()).filter((r) => r.outcome !== 'unchanged'));
    // Until a signal: the signal handler exits with 130/143 (src/cli/signals.ts).
    await new Promise<never>(() => {
      onTerminate(() => undefined);
    });
    return 0;
  } finally {
    await pusher.close();
  }
}
