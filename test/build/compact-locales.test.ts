// The translations as the bundle stores them: each language's strings alone, given back their keys by
// widget/labels.ts, so every visitor still reads the same words.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { transformSync } from 'esbuild';
import { compactLocale, compactLocales, inflateLocaleImports, labelKeys } from '../../scripts/compact-locales.ts';
import { LOCALES } from '../../widget/labels.ts';

const widget = fileURLToPath(new URL('../../widget/', import.meta.url));
const keys = labelKeys(readFileSync(`${widget}labels.ts`, 'utf8'));

/** The value a (TypeScript) module exports as `name`. */
function exported(code: string, name: string): unknown {
  const { code: js } = transformSync(code, { loader: 'ts', format: 'cjs' });
  const module = { exports: {} as Record<string, unknown> };
  new Function('module', 'exports', js)(module, module.exports);
  return module.exports[name];
}

describe('compactLocale', () => {
  it("stores each shipped language as its strings in English's key order, losing none", () => {
    assert.deepEqual(keys, Object.keys(LOCALES['en']!));
    const languages = readdirSync(`${widget}locales`).filter((file) => file.endsWith('.ts'));
    assert.ok(languages.length >= 3);
    for (const file of languages) {
      const language = file.replace('.ts', '');
      const values = exported(compactLocale(file, readFileSync(`${widget}locales/${file}`, 'utf8'), keys), language);
      assert.ok(Array.isArray(values), file);
      assert.deepEqual(Object.fromEntries(keys.map((key, index) => [key, values[index]])), LOCALES[language], file);
    }
  });

  it('stops on a missing or unknown key, and on anything but a plain string', () => {
    const locale = (body: string) => `export const xx: Labels = { ${body} };`;
    assert.throws(() => compactLocale('xx.ts', locale("a: 'A'"), ['a', 'b']), /missing: \[b\]/);
    assert.throws(() => compactLocale('xx.ts', locale("a: 'A', b: 'B', c: 'C'"), ['a', 'b']), /not in English's labels: \[c\]/);
    assert.throws(() => compactLocale('xx.ts', locale("a: 'A', b: name"), ['a', 'b']), /only `key: 'text'` entries \(b: name\)/);
    assert.equal(
      compactLocale('xx.ts', locale("b: 'B', a: \"A's\""), ['a', 'b']),
      `export const xx: Labels = ["A's", 'B'] as unknown as Labels;`,
    );
  });
});

describe('inflateLocaleImports', () => {
  it('gives the imported locales their keys back where labels.ts uses them', () => {
    const code = `import { fr } from './locales/fr.ts';
const en = { a: 'A', b: 'B' };
export const LOCALES = { en, fr };`;
    const out = inflateLocaleImports('labels.ts', code);
    assert.match(out, /export const LOCALES = \{ en, fr: inflateLabels\(fr\) \};/);
    const locales = exported(out.replace("import { fr } from './locales/fr.ts';", "const fr = ['Â', 'B̂'];"), 'LOCALES');
    assert.deepEqual(locales, { en: { a: 'A', b: 'B' }, fr: { a: 'Â', b: 'B̂' } });
  });
});

describe('the compactLocales plugin', () => {
  it('stops when a widget module other than labels.ts imports a locale', () => {
    const transform = compactLocales(widget).transform as (code: string, id: string) => unknown;
    assert.throws(
      () => transform("import { fr } from './locales/fr.ts';", `${widget}greeting.ts`),
      /greeting\.ts imports a locale: only widget\/labels\.ts may/,
    );
  });
});
