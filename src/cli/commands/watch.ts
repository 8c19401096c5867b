// sync-tui watch: the live engine headless, one line (or JSON object) per change.
// Its registration still lives in src/cli/watch.ts (another change is reshaping that
// file); this module gives it the shape of every other command.
export { registerWatch as register } from '../watch.js';
