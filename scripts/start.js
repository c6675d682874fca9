// `npm start`: ONE process that rebuilds what is stale, then serves the built server in itself, so the
// signal a process manager sends to it (SIGTERM, Ctrl-C) reaches the server and stops it cleanly.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildNeeded } from './build-state.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const reason = buildNeeded(root);
if (reason) {
  console.log(`Building first (${reason})…`);
  execFileSync('npm', ['run', 'build'], { stdio: 'inherit', cwd: root });
}
await import('../dist-server/main.js');
