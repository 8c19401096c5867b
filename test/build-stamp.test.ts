// The build stamp (scripts/build-stamp.mjs): `npm start` rebuilds only when dist/ was built
// from other sources, and the e2e tests refuse such a dist/ (test/helpers/cli.ts).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentStamp, distIsCurrent, writeStamp } from '../scripts/build-stamp.mjs';
import { PROJECT, tempDir } from './helpers/cli.js';

/** A project of its own: the real stamp scripts, a src/ and a build that leaves a mark. */
function miniProject(): string {
  const dir = tempDir('sync-tui-stamp-');
  fs.mkdirSync(path.join(dir, 'scripts'));
  for (const f of ['build-stamp.mjs', 'build-if-stale.mjs'])
    fs.copyFileSync(path.join(PROJECT, 'scripts', f), path.join(dir, 'scripts', f));
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src', 'a.ts'), 'export const a = 1;\n');
  const build = `node -e "require('fs').appendFileSync('builds.log','built\\\\n')" && node --input-type=module -e "import('./scripts/build-stamp.mjs').then((m) => m.writeStamp())"`;
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'mini', version: '1.0.0', type: 'module', scripts: { build } }),
  );
  fs.mkdirSync(path.join(dir, 'dist'));
  return dir;
}

function startCheck(dir: string): { stderr: string; builds: number } {
  const r = spawnSync(process.execPath, [path.join(dir, 'scripts', 'build-if-stale.mjs'), '--verbose'], {
    cwd: dir,
    encoding: 'utf8',
  });
  expect(r.status).toBe(0);
  const log = fs.existsSync(path.join(dir, 'builds.log'))
    ? fs.readFileSync(path.join(dir, 'builds.log'), 'utf8')
    : '';
  return { stderr: r.stderr, builds: log.split('\n').filter(Boolean).length };
}

describe('build stamp', () => {
  it('is the same for the same contents and changes with any source byte, not with mtimes', () => {
    const dir = miniProject();
    const before = currentStamp(dir);
    const file = path.join(dir, 'src', 'a.ts');
    fs.utimesSync(file, new Date(2020, 0, 1), new Date(2020, 0, 1));
    expect(currentStamp(dir)).toBe(before);
    fs.writeFileSync(file, 'export const a = 2;\n');
    expect(currentStamp(dir)).not.toBe(before);
    fs.writeFileSync(file, 'export const a = 1;\n');
    expect(currentStamp(dir)).toBe(before);
    fs.writeFileSync(path.join(dir, 'src', 'b.ts'), '');
    expect(currentStamp(dir)).not.toBe(before);
  });

  it('npm start builds a dist/ that is missing or stale, and not one that is current', () => {
    const dir = miniProject();
    expect(distIsCurrent(dir)).toBe(false);
    expect(startCheck(dir).builds).toBe(1);
    expect(distIsCurrent(dir)).toBe(true);
    const again = startCheck(dir);
    expect(again.builds).toBe(1);
    expect(again.stderr).toContain('not rebuilding');
    fs.writeFileSync(path.join(dir, 'src', 'a.ts'), 'export const a = 3;\n');
    expect(startCheck(dir).builds).toBe(2);
    expect(startCheck(dir).builds).toBe(2);
  });

  it('writeStamp records the sources as they are when it runs', () => {
    const dir = miniProject();
    writeStamp(dir);
    expect(distIsCurrent(dir)).toBe(true);
    fs.writeFileSync(path.join(dir, 'package.json'), '{}');
    expect(distIsCurrent(dir)).toBe(false);
  });
});
