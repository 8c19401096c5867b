// Makes the README's pictures (README.md, top): docs/demo.svg with `sync-tui snapshot`, and
// docs/tui.png from the live view in a real terminal (tmux), its colours read back from the
// screen and drawn with the snapshot's SVG theme, then converted with rsvg-convert
// (librsvg2-bin). Run: npm run build && npx tsx scripts/screenshot.ts
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { displayWidth } from '../src/core/sanitize.js';
import {
  escapeXml,
  PALETTE,
  SVG_CELL_WIDTH,
  SVG_FONT,
  SVG_FONT_SIZE,
  SVG_LINE_HEIGHT,
} from '../src/core/report/snapshot.js';

const PROJECT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(PROJECT, 'dist/cli.js');
const COLS = 190;
const ROWS = 40;
const SOCKET = `sync-tui-shot-${process.pid}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' }).stdout;

const BASIC = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'] as const;
const HEX: Record<string, string> = { ...PALETTE, black: PALETTE.bg, white: PALETTE.fg };
interface Cell {
  ch: string;
  fg: string;
  bg: string | null;
  bold: boolean;
  underline: boolean;
}

/** The screen as cells, from `capture-pane -e` (SGR: colours, bold, dim, underline, inverse). */
function parseScreen(ansi: string): Cell[][] {
  return ansi
    .split('\n')
    .slice(0, ROWS)
    .map((line) => {
      const cells: Cell[] = [];
      let fg: string | null = null,
        bg: string | null = null,
        bold = false,
        dim = false,
        underline = false,
        inverse = false;
      for (const part of line.split(/(\x1b\[[0-9;]*m)/)) {
        const m = /^\x1b\[([0-9;]*)m$/.exec(part);
        if (m) {
          for (const p of (m[1] || '0').split(';').map(Number)) {
            if (p === 0) [fg, bg, bold, dim, underline, inverse] = [null, null, false, false, false, false];
            else if (p === 1) bold = true;
            else if (p === 2) dim = true;
            else if (p === 4) underline = true;
            else if (p === 7) inverse = true;
            else if (p === 22) [bold, dim] = [false, false];
            else if (p === 24) underline = false;
            else if (p === 27) inverse = false;
            else if (p >= 30 && p <= 37) fg = HEX[BASIC[p - 30]]!;
            else if (p >= 90 && p <= 97) fg = HEX[BASIC[p - 90]] ?? PALETTE.fg;
            else if (p === 39) fg = null;
            else if (p >= 40 && p <= 47) bg = HEX[BASIC[p - 40]]!;
            else if (p >= 100 && p <= 107) bg = HEX[BASIC[p - 100]]!;
            else if (p === 49) bg = null;
          }
          continue;
        }
        for (const ch of part) {
          let f = fg ?? (dim ? PALETTE.gray : PALETTE.fg);
          if (dim && fg === null) f = PALETTE.gray;
          let b = bg;
          if (inverse) [f, b] = [bg ?? PALETTE.bg, fg ?? (dim ? PALETTE.gray : PALETTE.fg)];
          cells.push({ ch, fg: f, bg: b, bold, underline });
          if (displayWidth(ch) === 2) cells.push({ ch: '', fg: f, bg: b, bold, underline });
        }
      }
      return cells;
    });
}

function screenSvg(screen: Cell[][], title: string): string {
  const padX = 14,
    bar = 30,
    padTop = 10;
  const width = padX * 2 + COLS * SVG_CELL_WIDTH;
  const height = bar + padTop + screen.length * SVG_LINE_HEIGHT + 12;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect x="0" y="0" width="${width}" height="${height}" rx="9" fill="${PALETTE.bg}" stroke="${PALETTE.border}"/>`,
    `<rect x="0" y="0" width="${width}" height="${bar}" rx="9" fill="${PALETTE.bar}"/>`,
    `<circle cx="18" cy="15" r="6" fill="#ff5f57"/><circle cx="38" cy="15" r="6" fill="#febc2e"/><circle cx="58" cy="15" r="6" fill="#28c840"/>`,
    `<text x="${width / 2}" y="19.5" text-anchor="middle" font-family="${SVG_FONT}" font-size="12" fill="${PALETTE.gray}">${escapeXml(title)}</text>`,
    `<g font-family="${SVG_FONT}" font-size="${SVG_FONT_SIZE}" xml:space="preserve">`,
  ];
  screen.forEach((cells, row) => {
    const y = bar + padTop + row * SVG_LINE_HEIGHT;
    // Backgrounds as one rectangle per run of a colour (no seams between cells).
    for (let col = 0; col < cells.length;) {
      const bg = cells[col]!.bg;
      let end = col + 1;
      while (end < cells.length && cells[end]!.bg === bg) end++;
      if (bg)
        out.push(
          `<rect x="${padX + col * SVG_CELL_WIDTH}" y="${y}" width="${(end - col) * SVG_CELL_WIDTH}" height="${SVG_LINE_HEIGHT}" fill="${bg}"/>`,
        );
      col = end;
    }
    cells.forEach((c, col) => {
      if (c.ch === '' || c.ch === ' ') return;
      const attrs = `${c.bold ? ' font-weight="bold"' : ''}${c.underline ? ' text-decoration="underline"' : ''}`;
      out.push(
        `<text x="${padX + col * SVG_CELL_WIDTH}" y="${y + SVG_FONT_SIZE}" fill="${c.fg}"${attrs}>${escapeXml(c.ch)}</text>`,
      );
    });
  });
  out.push('</g>', '</svg>');
  return out.join('\n') + '\n';
}

async function main(): Promise<void> {
  // The static picture: a demo workspace after a few steps, as `snapshot --format svg` draws it.
  const headless = execFileSync(
    process.execPath,
    [BIN, 'demo', '--headless', '3s', '--keep', '--seed', '7', '--interval', '200ms'],
    { encoding: 'utf8' },
  );
  const root = headless.trim();
  execFileSync(process.execPath, [
    BIN,
    'snapshot',
    '--root',
    root,
    '--format',
    'svg',
    '--output',
    path.join(PROJECT, 'docs/demo.svg'),
  ]);
  fs.rmSync(root, { recursive: true, force: true });

  // The live view: the demo, the first agent (drifted with this seed) selected, its detail pane open.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-tui-shot-'));
  try {
    tmux(
      'new-session',
      '-d',
      '-x',
      String(COLS),
      '-y',
      String(ROWS),
      '-s',
      'shot',
      `env TMPDIR=${tmp} FORCE_COLOR=1 ${process.execPath} ${BIN} demo --seed 7 --interval 1h`,
    );
    const until = async (text: string) => {
      for (let i = 0; i < 200 && !tmux('capture-pane', '-p', '-t', 'shot').includes(text); i++)
        await sleep(100);
    };
    await until('LIVE');
    tmux('send-keys', '-t', 'shot', 'Enter');
    await until('RESOLVE WRITES');
    await sleep(500);
    const screen = parseScreen(tmux('capture-pane', '-e', '-p', '-t', 'shot'));
    const svg = path.join(tmp, 'tui.svg');
    fs.writeFileSync(svg, screenSvg(screen, 'sync-tui demo'));
    execFileSync('rsvg-convert', ['-o', path.join(PROJECT, 'docs/tui.png'), svg]);
    tmux('send-keys', '-t', 'shot', 'q');
    await sleep(500);
  } finally {
    tmux('kill-server');
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
