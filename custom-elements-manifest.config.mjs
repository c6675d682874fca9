// @custom-elements-manifest/analyzer: reads the element's JSDoc tags into custom-elements.json.
export default {
  globs: ['widget/anam-persona.ts', 'widget/index.ts'],
  outdir: '.',
  litelement: true,
};
