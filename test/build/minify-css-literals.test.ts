// The build's css`…` whitespace trim: smaller styles, same rules.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minifyCss } from '../../scripts/minify-css-literals.ts';

describe('minifyCss', () => {
  it('drops comments, line breaks and indentation', () => {
    const css = `\n  /* a note,\n     over two lines */\n  :host([layout='floating']) {\n    font-family: var(--font, system-ui, 'Segoe UI');\n  }\n`;
    const out = minifyCss(css);
    assert.equal(out, ":host([layout='floating']){font-family:var(--font,system-ui,'Segoe UI')}");
  });

  it('drops the space after a colon and the last semicolon, not the colon of a selector', () => {
    assert.equal(
      minifyCss('.a:focus-visible::before {\n  outline: 3px solid red;\n}\n@media (max-width: 480px) {\n  .b { gap: 0; }\n}'),
      '.a:focus-visible::before{outline:3px solid red}@media (max-width:480px){.b{gap:0}}',
    );
  });

  it('keeps the space of a descendant combinator, even across lines', () => {
    assert.match(minifyCss('.panel\n  .stage {\n  color: red;\n}'), /^\.panel \.stage\{/);
  });
});
