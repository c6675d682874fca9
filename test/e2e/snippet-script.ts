import { runInNewContext } from 'node:vm';

/** What the snippet's inline script did to a page: the context it set and the tools it registered. */
export interface PageSide {
  context: string;
  tools: Record<string, (args: Record<string, unknown>) => unknown>;
  /** Ids the tool handlers scrolled to. */
  scrolledTo: string[];
}

/**
 * Runs the `<script>` block of a builder snippet as a page would after the widget's element is defined,
 * with a page holding one element of each id in `ids`. Throws if the block is not valid JavaScript or
 * could end early in HTML (a `</script>` or `<!--` inside it).
 */
export async function runSnippetScript(snippet: string, ids: string[]): Promise<PageSide> {
  const body = /\n<script>\n([\s\S]*)\n<\/script>$/.exec(snippet)?.[1];
  if (body === undefined) throw new Error('the snippet ends with no <script> block');
  if (/<\/script|<!--/i.test(body)) throw new Error('the inline script would end early in HTML');
  const side: PageSide = { context: '', tools: {}, scrolledTo: [] };
  const persona = {
    set context(text: string) {
      side.context = text;
    },
    registerTool(name: string, handler: PageSide['tools'][string]) {
      side.tools[name] = handler;
    },
  };
  const document = {
    title: 'Your page',
    querySelector: (selector: string) => (selector === 'anam-persona' ? persona : null),
    getElementById: (id: string) => (ids.includes(id) ? { scrollIntoView: () => side.scrolledTo.push(id) } : null),
  };
  runInNewContext(body, { document, customElements: { whenDefined: () => Promise.resolve() } });
  await new Promise((resolve) => setImmediate(resolve));
  return side;
}
