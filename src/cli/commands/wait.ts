// sync-tui wait: block until the selected agents settle.
// Its registration is still in src/cli/wait.ts (merged as it was written); this module gives
// it the shape of every other command.
export { registerWait as register } from '../wait.js';
