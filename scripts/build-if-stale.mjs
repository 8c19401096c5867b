// `npm start`: build only when dist/ was not built from the sources as they are now.
import { spawnSync } from 'node:child_process';
import { distIsCurrent, PROJECT } from './build-stamp.mjs';

if (distIsCurrent()) {
  if (process.argv.includes('--verbose')) process.stderr.write('dist/ is current: not rebuilding\n');
} else {
  process.stderr.write('dist/ is missing or older than the sources: npm run build\n');
  const r = spawnSync('npm', ['run', 'build'], { cwd: PROJECT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
