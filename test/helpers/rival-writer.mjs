// Another program that rewrites the registry while sync-tui resolves: increments
// `rival_counter` N times, each a read-modify-write with an atomic, guarded replace
// (re-read right before the rename; retry if someone else wrote in between).
import * as fs from 'node:fs';
import * as path from 'node:path';

const [file, countText] = process.argv.slice(2);
const count = Number(countText);
let done = 0;
let retries = 0;
while (done < count) {
  const before = fs.readFileSync(file, 'utf8');
  let doc;
  try {
    doc = JSON.parse(before);
  } catch {
    console.error('rival saw a torn registry');
    process.exit(3);
  }
  doc.rival_counter = (doc.rival_counter ?? 0) + 1;
  const tmp = path.join(path.dirname(file), `.rival-${process.pid}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify(doc, null, 2));
  if (fs.readFileSync(file, 'utf8') !== before) {
    fs.unlinkSync(tmp);
    retries++;
    continue;
  }
  fs.renameSync(tmp, file);
  done++;
}
process.stdout.write(JSON.stringify({ done, retries }));
