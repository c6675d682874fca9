// The token endpoint for platforms without this server: dist/handlers/web.js (createSessionTokenHandler)
// and dist/handlers/worker.js (a Cloudflare Worker). Each is one self-contained ES module.
import { build } from 'esbuild';

for (const [entry, name] of [
  ['server/token-core/web-handler.ts', 'web'],
  ['server/token-core/worker.ts', 'worker'],
] as const) {
  await build({
    entryPoints: [entry],
    outfile: `dist/handlers/${name}.js`,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    legalComments: 'none',
    logLevel: 'warning',
  });
}
