/**
 * A fresh same-origin page (an iframe) with its own globals, into which scripts are loaded exactly
 * as a site owner's page loads them. Resolves once the page has loaded.
 */
export async function freshPage(
  bodyHtml: string,
): Promise<{ window: Window & typeof globalThis; errors: string[]; remove(): void }> {
  const frame = document.createElement('iframe');
  const errors: string[] = [];
  const loaded = new Promise<void>((resolve) => frame.addEventListener('load', () => resolve(), { once: true }));
  frame.srcdoc = `<!doctype html><html><head></head><body>${bodyHtml}</body></html>`;
  document.body.append(frame);
  await loaded;
  const pageWindow = frame.contentWindow as Window & typeof globalThis;
  pageWindow.addEventListener('error', (event) => errors.push(event.message));
  return { window: pageWindow, errors, remove: () => frame.remove() };
}

/** Adds a script tag to a page and waits until it has run (or failed to load). */
export function addScript(pageWindow: Window, attributes: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = pageWindow.document.createElement('script');
    for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
    script.addEventListener('load', () => resolve());
    script.addEventListener('error', () => reject(new Error(`could not load ${attributes['src']}`)));
    pageWindow.document.head.append(script);
  });
}
