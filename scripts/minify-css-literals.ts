import type { Plugin } from 'vite';

const CSS_LITERAL = /\bcss`([^`]*)`/g;

/**
 * Drops what a browser ignores from Lit's css`…` literals: comments, line breaks, indentation, spaces
 * around `{ } ; ,` and after `:`, and the last `;` of a block. (The source map of the rest of a styles
 * file shifts by the lines removed.) Only whitespace and that `;` go: no value or selector is rewritten
 * (unlike a full CSS minifier).
 */
export function minifyCss(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}')
    .trim();
}

/** Vite plugin: minifies the css`…` literals of files under `folder`. */
export function minifyCssLiterals(folder: string): Plugin {
  return {
    name: 'anam-minify-css-literals',
    enforce: 'pre',
    transform(code, id) {
      if (!id.startsWith(folder) || !id.endsWith('.ts') || !code.includes('css`')) return undefined;
      return { code: code.replace(CSS_LITERAL, (_, body: string) => `css\`${minifyCss(body)}\``), map: null };
    },
  };
}
