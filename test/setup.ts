// Ink writes only the last frame at unmount when CI is set, which breaks lastFrame()
// in ink-testing-library; UI tests need the interactive behaviour.
delete process.env['CI'];
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

// The e2e tests run the built binary (dist/cli.js): against a dist/ built from other
// sources they would test code that is not src/'s, so they refuse to start.
import { expect } from 'vitest';
import { requireCurrentDist } from './helpers/cli.js';
if (/[\\/]test[\\/]e2e[\\/]/.test(expect.getState().testPath ?? '')) requireCurrentDist();
