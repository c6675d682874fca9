// The SDK's string enums, read only as Enum.MEMBER, become their values (scripts/sdk-enums.ts); the source
// map follows the edits (scripts/edit-source-map.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnamEvent as SdkAnamEvent } from '@anam-ai/js-sdk';
import { decode } from '@jridgewell/sourcemap-codec';
import { applyEdits, editSourceMap } from '../../scripts/edit-source-map.ts';
import { sdkEnumEdits } from '../../scripts/sdk-enums.ts';
import { AnamEvent } from '../../widget/anam-sdk.ts';

const enumOf = (name: string, members: Record<string, string>) => `var ${name};
(function(${name}2) {
${Object.entries(members)
  .map(([key, value]) => `  ${name}2[${JSON.stringify(key)}] = ${JSON.stringify(value)};`)
  .join('\n')}
})(${name} || (${name} = {}));`;

const inline = (code: string) => applyEdits(code, sdkEnumEdits(code));

describe('sdkEnumEdits', () => {
  it('turns each read of a string enum into its value and drops the enum', () => {
    const code = `${enumOf('Code', { SERVER_ERROR: 'CLIENT_ERROR_CODE_SERVER_ERROR', BUSY: 'busy' })}
var Numbers;
(function(Numbers2) {
  Numbers2[Numbers2["ONE"] = 1] = "ONE";
})(Numbers || (Numbers = {}));
function fail(status) { return status === 503 ? Code.BUSY : Code.SERVER_ERROR; }
export { fail };`;
    const out = inline(code);
    assert.doesNotMatch(out, /Code\b|Numbers|\["SERVER_ERROR"\]/);
    assert.match(out, /return status === 503 \? "busy" : "CLIENT_ERROR_CODE_SERVER_ERROR";/);
    const run = (source: string) => new Function(`${source.replace(/export \{ fail \};/, '')}; return [fail(503), fail(500)];`)();
    assert.deepEqual(run(out), run(code));
  });

  it('keeps an enum that is exported, read another way, written, or names an unknown member', () => {
    const cases = [
      `${enumOf('E', { A: 'a' })}\nconst x = E.A;\nexport { E };`,
      `${enumOf('E', { A: 'a' })}\nconst x = E.A, all = Object.values(E);`,
      `${enumOf('E', { A: 'a' })}\nconst x = E.A, key = "A", y = E[key];`,
      `${enumOf('E', { A: 'a' })}\nE.A = "b";\nconst x = E.A;`,
      `${enumOf('E', { A: 'a' })}\nconst x = E.B;`,
      `${enumOf('E', { A: 'a' })}\nfunction f(E) { return E.A; }`,
    ];
    for (const code of cases) assert.equal(inline(code), code);
  });
});

describe("the widget's AnamEvent", () => {
  it("names every event of the installed SDK as the SDK does, without the SDK's enum in the bundle", () => {
    const names = Object.keys(SdkAnamEvent) as Array<keyof typeof SdkAnamEvent>;
    assert.ok(names.length > 20);
    for (const name of names) assert.equal(AnamEvent[name], SdkAnamEvent[name], name);
  });
});

describe('editSourceMap', () => {
  it('moves each mapping with the text it marks, and drops those inside replaced text', () => {
    const code = 'abc DROPPED def\nghi X jkl';
    // Mappings (generated column → source line): a@0, D@4 (start of an edit), O@6 (inside it), d@12, g@0 of line 2, X@4, j@6.
    const map = JSON.stringify({
      version: 3,
      sources: ['s.ts'],
      names: [],
      mappings: 'AAAA,IACA,EACA,MACA;AACA,IACA,EACA',
    });
    const edits = [
      { start: 4, end: 12, text: '' },
      { start: 20, end: 21, text: '"long value"' },
    ];
    const out = applyEdits(code, edits);
    assert.equal(out, 'abc def\nghi "long value" jkl');
    const lines = decode((JSON.parse(editSourceMap(map, code, edits)) as { mappings: string }).mappings);
    assert.deepEqual(
      lines.map((segments) => segments.map((segment) => [segment[0], segment[2]])),
      [
        [
          [0, 0],
          [4, 1],
          [4, 3],
        ],
        [
          [0, 4],
          [4, 5],
          [17, 6],
        ],
      ],
    );
  });
});
