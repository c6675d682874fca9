// The token endpoint for platforms without this server: dist/handlers/web.js (createSessionTokenHandler)
// and dist/handlers/worker.js (a Cloudflare Worker), each one self-contained ES module; and
// dist/handlers/fastify.js (the anamPersonaTokens plugin), which uses the app's own fastify and undici.
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
    // Packages (ipaddr.js) name their entry in `main`, which the neutral platform leaves unread unless told.
    mainFields: ['module', 'main'],
    target: 'es2022',
    legalComments: 'none',
    logLevel: 'warning',
  });
}

await build({
  entryPoints: ['server/token-node/fastify-plugin.ts'],
  outfile: 'dist/handlers/fastify.js',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['fastify', 'undici', 'ioredis'],
  // fastify-plugin (bundled) is CommonJS and requires node:path.
  banner: { js: "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
