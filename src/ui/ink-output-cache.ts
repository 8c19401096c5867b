// Ink builds a new Output for every frame, and with it new caches of what each line looks
// like as styled characters and how wide each piece of text is. Most of a frame's lines
// are the same as the previous frame's (a table where one row changed, or only ages
// moved), so keeping those caches from one frame to the next saves most of Ink's work per
// frame (tokenising every line, measuring every character): measured at 10,000 agents in
// BENCHMARKS.md. This module does that, and does nothing if Ink's internals are not the
// shape it expects (another Ink version): then frames cost what they cost.
//
// Bounded: the shared maps are emptied when they grow past a few frames' worth (a line's
// styled characters are ~150 small objects, so lines are capped far lower than widths).

// Ink first, so that its Output class exists (and, in the bundle, is handed over) below.
import 'ink';

const MAX_LINES = 600;
const MAX_WIDTHS = 20_000;

interface InkCaches {
  widths: Map<unknown, unknown>;
  blockWidths: Map<unknown, unknown>;
  styledChars: Map<unknown, unknown>;
}

interface OutputLike {
  caches?: unknown;
}

function looksLikeCaches(c: unknown): c is InkCaches {
  const o = c as Partial<InkCaches> | null;
  return (
    o !== null &&
    typeof o === 'object' &&
    o.widths instanceof Map &&
    o.blockWidths instanceof Map &&
    o.styledChars instanceof Map
  );
}

let installed: 'yes' | 'no' | null = null;

async function install(): Promise<void> {
  if (installed !== null) return;
  installed = 'no';
  // An escape hatch, and the benchmark's way to measure what the cache saves.
  if (process.env['SYNC_TUI_INK_CACHE'] === '0') return;
  try {
    // In the bundle (scripts/bundle.mjs) Ink's Output is the bundled copy, handed over
    // under this symbol; otherwise it is Ink's own module file.
    type OutputClass = { prototype?: { get?: (...a: unknown[]) => unknown } };
    const handed = (globalThis as Record<symbol, unknown>)[Symbol.for('sync-tui.ink-output')] as
      OutputClass | undefined;
    const cls =
      handed ??
      ((await import(new URL('./output.js', import.meta.resolve('ink')).href)) as { default?: OutputClass })
        .default;
    const proto = cls?.prototype;
    const get = proto?.get;
    if (!proto || typeof get !== 'function') return;
    let shared: InkCaches | null = null;
    proto.get = function patchedGet(this: OutputLike, ...args: unknown[]): unknown {
      const own = this.caches;
      if (looksLikeCaches(own)) {
        if (shared === null) shared = own;
        else if (own !== shared) {
          if (
            shared.styledChars.size > MAX_LINES ||
            shared.widths.size + shared.blockWidths.size > MAX_WIDTHS
          ) {
            shared.styledChars.clear();
            shared.widths.clear();
            shared.blockWidths.clear();
          }
          this.caches = shared;
        }
      }
      return get.apply(this, args);
    };
    installed = 'yes';
  } catch {
    // Ink's layout differs from 6.x: leave it as it is.
  }
}

await install();
