// The cost for a page to include an embed script, ours beside peers', measured the same way in one run:
// each load in a fresh browser context (no HTTP or code cache: a first visit), the script as a plain
// `<script src>` after the element, served from loopback without compression.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import type { Browser } from 'puppeteer-core';

export interface Embed {
  name: string;
  /** The script file on disk. */
  file: string;
  /** The element as its README's snippet places it. */
  markup: string;
}

export interface IncludeCost {
  /** Script tag reached → next tag: fetch, parse, evaluate, define and upgrade (what blocks the parser). */
  blockingMs: number;
  /** Main-thread task time added over a page without the script, through load and 500 ms after. */
  mainThreadMs: number;
}

/** The page of one load: the embed's element, then its script tag between two marks (no script: the baseline). */
const page = (
  markup: string,
  script?: string,
) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>include</title></head>
<body>${markup}<script>performance.mark('before-script')</script>${script ? `<script src="${script}"></script>` : ''}
<script>performance.mark('after-script')</script></body></html>`;

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Index of the page without a script (the baseline of main-thread time). */
export const NO_SCRIPT = -1;
/** Index of the page with an empty script: what any parser-blocking script tag costs before its code runs. */
export const EMPTY_SCRIPT = -2;
const EMPTY_SCRIPT_PATH = '/lib/empty.js';

export interface EmbedPages {
  /** The page with embed `index`'s script, or the first embed's page with no script or an empty one. */
  url(index: number): string;
  close(): Promise<void>;
}

/** Serves each embed's page and script from loopback, uncompressed, every embed the same way. */
export async function serveEmbedPages(embeds: Embed[]): Promise<EmbedPages> {
  const app = Fastify({ logger: false });
  const scripts = new Map(embeds.map((embed, index) => [`/lib/${index}.js`, readFileSync(embed.file)]));
  scripts.set(EMPTY_SCRIPT_PATH, Buffer.from('/* empty */\n'));
  app.get<{ Params: { index: string } }>('/lib/:index', (request, reply) =>
    reply.type('text/javascript').send(scripts.get(`/lib/${request.params.index}`)),
  );
  app.get<{ Params: { index: string } }>('/page/:index', (request, reply) => {
    const index = Number(request.params.index);
    const embed = embeds[Math.max(index, 0)]!;
    const script = index === NO_SCRIPT ? undefined : index === EMPTY_SCRIPT ? EMPTY_SCRIPT_PATH : `/lib/${index}.js`;
    return reply.type('text/html').send(page(embed.markup, script));
  });
  const origin = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: (index) => `${origin}/page/${index}`, close: () => app.close() };
}

export interface IncludeCosts {
  embeds: Map<string, IncludeCost>;
  /**
   * How long an empty script blocks the same page: the floor under every embed's blocking time
   * (the browser fetching a parser-blocking script in a fresh context), which no embed can go below.
   */
  emptyScriptBlockingMs: number;
}

/**
 * Medians of `runs` loads of each embed, interleaved with loads of the same page without a script
 * (the main-thread baseline) and with an empty script (the blocking floor).
 */
export async function includeCosts(browser: Browser, embeds: Embed[], runs: number): Promise<IncludeCosts> {
  const pages = await serveEmbedPages(embeds);

  async function load(index: number): Promise<{ blockingMs: number; taskMs: number }> {
    const context = await browser.createBrowserContext();
    try {
      const tab = await context.newPage();
      const before = await tab.metrics();
      await tab.goto(pages.url(index), { waitUntil: 'load' });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const after = await tab.metrics();
      // (No named function inside: tsx would wrap it in a helper the page does not have.)
      const { blockingMs, shown } = await tab.evaluate(() => ({
        blockingMs:
          performance.getEntriesByName('after-script', 'mark')[0]!.startTime -
          performance.getEntriesByName('before-script', 'mark')[0]!.startTime,
        // Whether the embed put anything on screen: a box anywhere in the page's body or in its element's shadow root.
        shown: [
          ...document.body.querySelectorAll('*'),
          ...(document.body.firstElementChild!.shadowRoot?.querySelectorAll('*') ?? []),
        ].some((element) => element.getBoundingClientRect().width > 0),
      }));
      // An embed that shows nothing (a config it could not fetch) costs less than any visitor's page pays.
      if (index >= 0 && !shown) throw new Error(`${embeds[index]!.name} showed nothing: its figures would not be a visitor's`);
      return { blockingMs, taskMs: ((after.TaskDuration ?? 0) - (before.TaskDuration ?? 0)) * 1000 };
    } finally {
      await context.close();
    }
  }

  try {
    const baseline: number[] = [];
    const emptyScript: number[] = [];
    const samples = embeds.map(() => [] as Array<{ blockingMs: number; taskMs: number }>);
    for (let run = 0; run < runs; run++) {
      baseline.push((await load(NO_SCRIPT)).taskMs);
      emptyScript.push((await load(EMPTY_SCRIPT)).blockingMs);
      for (const [index] of embeds.entries()) samples[index]!.push(await load(index));
    }
    const baseTaskMs = median(baseline);
    return {
      embeds: new Map(
        embeds.map((embed, index) => [
          embed.name,
          {
            blockingMs: median(samples[index]!.map((sample) => sample.blockingMs)),
            mainThreadMs: median(samples[index]!.map((sample) => sample.taskMs)) - baseTaskMs,
          },
        ]),
      ),
      emptyScriptBlockingMs: median(emptyScript),
    };
  } finally {
    await pages.close();
  }
}
