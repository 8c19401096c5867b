// sync-tui push: mirror local status files into a NATS bucket (README.md "Several hosts").
// Its registration is still in src/cli/push.ts (merged as it was written); this module gives
// it the shape of every other command.
export { registerPush as register } from '../push.js';
