// The floor for `check --json`: a minimal Node script that reads and JSON.parses the same
// files (every status file, the registry, every line of the event log) and does nothing
// else. Usage: node bench/baseline.mjs ROOT  -> prints how many documents it parsed.
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = process.argv[2];
const dir = path.join(root, 'agent_workspaces');
let docs = 0;
const parsed = [];
for (const name of fs.readdirSync(dir)) {
  parsed.push(JSON.parse(fs.readFileSync(path.join(dir, name, 'status.json'), 'utf8')));
  docs++;
}
parsed.push(JSON.parse(fs.readFileSync(path.join(root, 'coordination_system_state.json'), 'utf8')));
docs++;
for (const line of fs.readFileSync(path.join(root, 'events.jsonl'), 'utf8').split('\n')) {
  if (line === '') continue;
  parsed.push(JSON.parse(line));
  docs++;
}
process.stdout.write(`${docs}\n`);
