import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

interface Declaration {
  customElement?: boolean;
  tagName?: string;
  attributes?: Array<{ name: string }>;
  members?: Array<{ name: string; kind: string; privacy?: string; static?: boolean }>;
  events?: Array<{ name: string }>;
  cssParts?: Array<{ name: string }>;
  cssProperties?: Array<{ name: string }>;
}

const manifestUrl = new URL('../../custom-elements.json', import.meta.url);
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const reference = readme.slice(readme.indexOf('## Reference'), readme.indexOf('## The token server'));

function element(): Declaration {
  assert.ok(existsSync(manifestUrl), 'custom-elements.json is missing: run npm run build first');
  const manifest = JSON.parse(readFileSync(manifestUrl, 'utf8')) as { modules: Array<{ declarations?: Declaration[] }> };
  const found = manifest.modules.flatMap((module) => module.declarations ?? []).find((declaration) => declaration.customElement);
  assert.ok(found, 'the manifest has a custom element');
  return found;
}

/** Every `code` span of the reference section. */
const documented = new Set([...reference.matchAll(/`([^`]+)`/g)].map((match) => match[1]!.replace(/\(.*$/, '')));

describe('README reference agrees with custom-elements.json', () => {
  it('names the tag', () => {
    assert.equal(element().tagName, 'anam-persona');
  });

  for (const [kind, names] of [
    ['attribute', () => element().attributes?.map((attribute) => attribute.name) ?? []],
    [
      'property or method',
      () =>
        element()
          .members?.filter((member) => !member.static && (member.privacy ?? 'public') === 'public')
          .map((member) => member.name) ?? [],
    ],
    ['event', () => element().events?.map((event) => event.name) ?? []],
    ['CSS part', () => element().cssParts?.map((part) => part.name) ?? []],
    ['CSS custom property', () => element().cssProperties?.map((property) => property.name) ?? []],
  ] as const) {
    it(`documents every ${kind} of the manifest`, () => {
      const missing = names().filter((name) => !documented.has(name));
      assert.deepEqual(missing, [], `${kind}s missing from the README reference`);
    });
  }

  it('documents nothing the manifest does not have', () => {
    const manifestNames = new Set([
      ...(element().attributes ?? []).map((attribute) => attribute.name),
      ...(element().cssProperties ?? []).map((property) => property.name),
    ]);
    const attributeTable = reference.slice(reference.indexOf('### Attributes'), reference.indexOf('### Methods'));
    const attributeRows = [...attributeTable.matchAll(/^\| `([a-z-]+)`(?: \(reflected\))? \|/gm)].map((match) => match[1]!);
    const customProperties = [...reference.matchAll(/`(--anam-persona-[a-z-]+)`/g)].map((match) => match[1]!);
    // `state` and `activity` are reflected by the element itself, as read-only properties, not declared attributes.
    const readOnlyReflected = new Set(['state', 'activity']);
    const stale = [...attributeRows, ...customProperties].filter(
      (name) => !manifestNames.has(name) && !readOnlyReflected.has(name),
    );
    assert.deepEqual(stale, [], 'documented but not in the manifest');
  });
});
