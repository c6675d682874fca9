import { existsSync, readdirSync, statSync } from 'node:fs';

/** What `npm run build` writes, and what it is written from. */
export const BUILD_OUTPUTS = ['dist/anam-persona.js', 'dist-server/main.js'];
export const BUILD_SOURCES = [
  'widget',
  'server',
  'package.json',
  'vite.config.ts',
  'vite.module.config.ts',
  'tsconfig.server-build.json',
];

/** The newest modification time under a file or folder. */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(`${path}/${name}`)), stat.mtimeMs);
}

/** Why the project (at `root`, ending in /) needs a build, or undefined when the build is current. */
export function buildNeeded(root) {
  const missing = BUILD_OUTPUTS.filter((output) => !existsSync(`${root}${output}`));
  if (missing.length > 0) return `${missing.join(' and ')} missing`;
  const builtAt = Math.min(...BUILD_OUTPUTS.map((output) => statSync(`${root}${output}`).mtimeMs));
  const changed = BUILD_SOURCES.find((source) => existsSync(`${root}${source}`) && newest(`${root}${source}`) > builtAt);
  return changed ? `${changed} changed since the last build` : undefined;
}
