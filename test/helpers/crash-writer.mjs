// Child process for test/shell/atomic.crash.test.ts: replaces a registry over and over,
// alternating two large contents, until it is killed.
// Usage: node crash-writer.mjs <atomic module (.mjs/.js)> <target file> <content A file> <content B file>
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [modulePath, target, aFile, bFile] = process.argv.slice(2);
const { replaceIfUnchanged } = await import(pathToFileURL(modulePath).href);
const A = readFileSync(aFile, 'utf8');
const B = readFileSync(bFile, 'utf8');

process.stdout.write('ready\n');
for (;;) {
  const current = readFileSync(target, 'utf8');
  const next = current === A ? B : A;
  const r = await replaceIfUnchanged(target, current, next);
  if (!r.ok) {
    process.stderr.write(`replace failed: ${r.message}\n`);
    process.exit(3);
  }
}
