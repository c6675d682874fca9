import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'dist-server/', 'node_modules/', 'coverage/', 'custom-elements.json'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ['widget/**/*.ts', 'test/widget/**/*.ts'],
    ...lit.configs['flat/recommended'],
  },
  {
    files: ['widget/**/*.ts', 'test/widget/**/*.ts'],
    ...wc.configs['flat/best-practice'],
  },
  {
    files: ['widget/**/*.ts', 'test/widget/**/*.ts', 'demo/**/*.js', 'test/e2e/pages/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: [
      'server/**/*.ts',
      'scripts/**/*.ts',
      'scripts/**/*.js',
      'test/{server,build}/**/*.ts',
      'test/e2e/**/*.ts',
      '*.config.ts',
      '*.config.js',
    ],
    languageOptions: { globals: globals.node },
  },
  {
    // Chai's assertions read as expressions (`expect(x).to.exist`).
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
);
