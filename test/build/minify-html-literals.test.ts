// The build's html`…` whitespace trim: the same rendered page from smaller templates.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collapseTemplateWhitespace, minifyHtmlTemplates } from '../../scripts/minify-html-literals.ts';

describe('collapseTemplateWhitespace', () => {
  it('turns line breaks and indentation into one space, between tags and between attributes', () => {
    const text = `<div\n    part="overlay"\n    class="overlay"\n  >\n    <p>Hello</p>\n    <button\n      >Go</button\n    >\n  </div>`;
    assert.equal(
      collapseTemplateWhitespace(text),
      '<div part="overlay" class="overlay" > <p>Hello</p> <button >Go</button > </div>',
    );
  });

  it('keeps spaces and text on one line as they are', () => {
    assert.equal(collapseTemplateWhitespace('<span>● </span> <b>a  b</b>'), '<span>● </span> <b>a  b</b>');
  });

  it('refuses elements whose text keeps its whitespace', () => {
    assert.throws(() => collapseTemplateWhitespace('<pre>\n  a\n</pre>'), /keeps its whitespace/);
    assert.throws(() => collapseTemplateWhitespace('<textarea>\n  a</textarea>'), /keeps its whitespace/);
    assert.equal(collapseTemplateWhitespace('<textarea rows="2"></textarea>\n'), '<textarea rows="2"></textarea> ');
  });
});

describe('minifyHtmlTemplates', () => {
  it('collapses the static text of html`…` and svg`…` templates, nested ones too, and nothing else', () => {
    const code = [
      'const note = `keep\n  this`;',
      'const view = (x: string) => html`<ul>',
      '    ${items.map((item) => html`<li>',
      '      ${item}',
      '    </li>`)}',
      '    <li>${`text\n  literal`}</li>',
      '  </ul>`;',
      'const icon = svg`<svg>\n  <path d="M0 0"/>\n</svg>`;',
    ].join('\n');
    assert.equal(
      minifyHtmlTemplates('view.ts', code),
      [
        'const note = `keep\n  this`;',
        'const view = (x: string) => html`<ul> ${items.map((item) => html`<li> ${item} </li>`)} <li>${`text\n  literal`}</li> </ul>`;',
        'const icon = svg`<svg> <path d="M0 0"/> </svg>`;',
      ].join('\n'),
    );
  });
});
