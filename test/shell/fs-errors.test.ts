// One errno helper for every shell module (issue 11.9): the same answer for one error, and
// the journal tail is quiet only when the file is not there (yet).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeError, errorCode, isNotFound } from '../../src/shell/fs-errors.js';
import { JsonlTail } from '../../src/shell/history.js';
import { tempDir } from '../helpers/cli.js';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0).reverse()) f();
});
function dir(): string {
  const d = tempDir('sync-tui-errno-');
  cleanup.push(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

describe('fs-errors', () => {
  it('answers the same for one error: its code, whether it means "not there", one line', () => {
    const plain = new Error('a bug\nwith a stack');
    expect([errorCode(plain), isNotFound(plain), describeError(plain)]).toEqual([
      'EUNKNOWN',
      false,
      'unexpected error (a bug)',
    ]);
    const missing = Object.assign(new Error('x'), { code: 'ENOENT' });
    expect([errorCode(missing), isNotFound(missing), describeError(missing)]).toEqual([
      'ENOENT',
      true,
      'not found (ENOENT)',
    ]);
    expect(isNotFound(Object.assign(new Error('x'), { code: 'ENOTDIR' }))).toBe(true);
    expect(isNotFound(Object.assign(new Error('x'), { code: 'EACCES' }))).toBe(false);
    expect(isNotFound(Object.assign(new Error('x'), { code: 'EISDIR' }))).toBe(false);
  });
});

describe('JsonlTail', () => {
  it('a file not there yet is quiet, and everything written after it appears is read', async () => {
    const root = dir();
    const file = path.join(root, 'journal.jsonl');
    const tail = new JsonlTail(file);
    expect(await tail.read()).toEqual([]);
    fs.writeFileSync(file, '{"a":1}\n');
    expect(await tail.read()).toEqual([{ a: 1 }]);
  });

  it('a folder where the file should be is an error naming the file and the cause, not an empty file', async () => {
    const root = dir();
    const file = path.join(root, 'journal.jsonl');
    fs.mkdirSync(file);
    const tail = new JsonlTail(file);
    await expect(tail.read()).rejects.toThrow(`it is a folder, not a file (EISDIR) while reading ${file}`);
  });
});
