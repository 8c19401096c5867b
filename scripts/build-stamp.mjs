// The build stamp: a hash of everything the build reads (src/, the build's configs, the
// lockfile, the bundle script). `npm run build` writes it to dist/.build-stamp when done;
// `npm start` rebuilds only when it differs (scripts/build-if-stale.mjs), and the e2e
// helpers refuse a dist/ built from other sources (test/helpers/cli.ts).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const STAMP = path.join(PROJECT, 'dist', '.build-stamp');
const INPUTS = [
  'src',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'scripts/bundle.mjs',
  'scripts/build-stamp.mjs',
];

function files(root, rel) {
  const abs = path.join(root, rel);
  let st;
  try {
    st = fs.statSync(abs);
  } catch {
    return [];
  }
  if (!st.isDirectory()) return [rel];
  return fs
    .readdirSync(abs)
    .sort()
    .flatMap((name) => files(root, path.join(rel, name)));
}

/** The hash of the build's inputs as they are now. */
export function currentStamp(root = PROJECT) {
  const hash = createHash('sha256');
  for (const rel of INPUTS.flatMap((i) => files(root, i))) {
    hash.update(rel.split(path.sep).join('/'));
    hash.update('\0');
    hash.update(fs.readFileSync(path.join(root, rel)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** The stamp dist/ was built with, or null (never built, or built by something else). */
export function builtStamp(root = PROJECT) {
  try {
    return fs.readFileSync(path.join(root, 'dist', '.build-stamp'), 'utf8').trim();
  } catch {
    return null;
  }
}

/** Whether dist/ was built from the sources as they are now. */
export function distIsCurrent(root = PROJECT) {
  return builtStamp(root) === currentStamp(root);
}

export function writeStamp(root = PROJECT) {
  fs.writeFileSync(path.join(root, 'dist', '.build-stamp'), currentStamp(root) + '\n');
}
