// `npm start` from a fresh clone: build the widget first if dist/ does not have it yet.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync(new URL('../dist/anam-persona.js', import.meta.url))) {
  console.log('dist/anam-persona.js is missing: building it first…');
  execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
}
