/**
 * A @web/dev-server plugin: the SDK's `buffer` import gets widget/buffer-shim.ts, as in the built
 * bundle (vite.config.ts), so component tests with the real SDK run through the shim too.
 */
export function bufferShimForTests() {
  return {
    name: 'anam-buffer-shim',
    resolveImport({ source }: { source: string }) {
      return source === 'buffer' ? '/widget/buffer-shim.ts' : undefined;
    },
  };
}
