import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildProgram, main } from '../../src/cli/main.js';
import { ExitError, EXIT_INTERNAL, internalErrorText } from '../../src/shell/exit-error.js';
import { UsageError } from '../../src/shell/probe.js';

// src/cli/main.ts: a command ends by a thrown ExitError; anything else is a bug (exit 70).
function withCommand(action: () => void) {
  const program = buildProgram();
  program.command('boom').action(action);
  return program;
}

describe('exit codes by a thrown ExitError', () => {
  const written: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    written.length = 0;
  });
  function captureStderr() {
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  }

  it('an ExitError gives its code and prints its message once', async () => {
    captureStderr();
    const code = await main(
      ['boom'],
      withCommand(() => {
        throw new ExitError(3, 'three');
      }),
    );
    expect(code).toBe(3);
    expect(written.join('')).toBe('sync-tui: three\n');
  });

  it('a UsageError is exit code 2', async () => {
    captureStderr();
    const code = await main(
      ['boom'],
      withCommand(() => {
        throw new UsageError('bad flag');
      }),
    );
    expect(code).toBe(2);
    expect(written.join('')).toBe('sync-tui: bad flag\n');
  });

  it('an unexpected error is exit 70 with one line and a hint to report it, no stack', async () => {
    captureStderr();
    const code = await main(
      ['boom'],
      withCommand(() => {
        throw new TypeError('x is undefined\n    at somewhere (file.js:1:1)');
      }),
    );
    expect(code).toBe(EXIT_INTERNAL);
    expect(EXIT_INTERNAL).toBe(70);
    const text = written.join('');
    expect(text).toBe(internalErrorText(new TypeError('x is undefined')));
    expect(text).toMatch(
      /^sync-tui: internal error: x is undefined\nThis is a bug in sync-tui; please report it/,
    );
    expect(text).not.toMatch(/\n\s+at /);
  });
});
