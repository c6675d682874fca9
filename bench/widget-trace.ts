// Where an embed's cost to include goes: Chrome traces of first visits (a fresh context each, the pages of
// widget-include.ts), the main thread's CPU time per phase, less the same page without a script. Thread
// time rather than wall time: on a shared machine a descheduled renderer is not the page's cost.
import type { Browser } from 'puppeteer-core';
import { median, NO_SCRIPT, serveEmbedPages, type Embed } from './widget-include.ts';

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  /** The thread's CPU time within the event, where the trace has it. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; beginData?: { url?: string } };
}

const CATEGORIES = ['devtools.timeline', 'v8', 'blink', 'blink.user_timing'];

const RUN = 'script: evaluate and run';
const COMPILE = 'script: compile (main thread)';
const PAINT = 'paint and layerize';
const DOCUMENT = 'HTML parse (page, and templates script sets)';
/** Trace events that name a phase; time in any other event counts for its nearest named ancestor. */
const PHASE_OF_EVENT: Record<string, string> = {
  ParseHTML: DOCUMENT,
  'Document::FinishedParsing': DOCUMENT,
  'LocalWindowProxy::Initialize': DOCUMENT,
  'Frame::Detach': DOCUMENT,
  EvaluateScript: RUN,
  'v8.run': RUN,
  FunctionCall: RUN,
  'v8.callFunction': RUN,
  TimerFire: RUN,
  EventDispatch: RUN,
  FireAnimationFrame: RUN,
  'v8.compile': COMPILE,
  'V8.CompileCode': COMPILE,
  'V8.ParseFunction': COMPILE,
  'V8.ParseProgram': COMPILE,
  'V8.PreParse': COMPILE,
  'V8.CompileIgnition': COMPILE,
  'V8.CompileIgnitionFinalization': COMPILE,
  'v8.produceCache': COMPILE,
  'CustomElementRegistry::define': 'define',
  'CustomElementReactionQueue::invokeReactions': 'upgrade (constructor, connectedCallback)',
  'CSSParserImpl::parseStyleSheet': 'CSS parse',
  UpdateLayoutTree: 'style recalc',
  Layout: 'layout',
  PrePaint: PAINT,
  Paint: PAINT,
  Layerize: PAINT,
  Commit: PAINT,
  MinorGC: 'garbage collection',
  MajorGC: 'garbage collection',
  RunTask: 'other',
  'ThreadControllerImpl::RunTask': 'other',
};
const PHASES = [...new Set(Object.values(PHASE_OF_EVENT))];

export interface TraceBreakdown {
  /** Main-thread CPU ms per phase, from navigation through load + 500 ms. */
  phases: Map<string, number>;
  /** Main-thread CPU ms between the marks before and after the script tag. */
  blockingCpuMs: number;
  /** Style and layout run inside script (forced, synchronous), CPU ms. */
  forcedMs: number;
}

/** Complete events of one thread (B/E pairs joined), in start order, enclosing events first. */
function completeEvents(events: TraceEvent[]): TraceEvent[] {
  const complete: TraceEvent[] = [];
  const open: TraceEvent[] = [];
  for (const event of events) {
    if (event.ph === 'X') complete.push(event);
    else if (event.ph === 'B') open.push(event);
    else if (event.ph === 'E') {
      const begin = open.pop();
      if (begin) complete.push({ ...begin, ph: 'X', dur: event.ts - begin.ts });
    }
  }
  return complete.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
}

/** CPU µs per phase between `from` and `to`: each named event's time less its named descendants'. */
function phaseTimes(events: TraceEvent[], from: number, to: number) {
  const self = new Map<string, number>();
  let forced = 0;
  const stack: Array<{ phase: string; end: number; own: number }> = [];
  const close = (until: number) => {
    while (stack.length > 0 && stack[stack.length - 1]!.end <= until) {
      const top = stack.pop()!;
      self.set(top.phase, (self.get(top.phase) ?? 0) + Math.max(0, top.own));
    }
  };
  for (const event of events) {
    const phase = PHASE_OF_EVENT[event.name];
    const end = event.ts + (event.dur ?? 0);
    close(event.ts);
    if (!phase) continue;
    const cpuShare = event.tdur !== undefined && event.dur ? Math.min(1, event.tdur / event.dur) : 1;
    const time = Math.max(0, Math.min(end, to) - Math.max(event.ts, from)) * cpuShare;
    const parent = stack[stack.length - 1];
    if (parent) parent.own -= time;
    if ((phase === 'layout' || phase === 'style recalc') && stack.some((frame) => frame.phase === RUN)) forced += time;
    stack.push({ phase, end, own: time });
  }
  close(Number.POSITIVE_INFINITY);
  return { self, forced };
}

function analyse(events: TraceEvent[]): TraceBreakdown {
  const parse = events.find((event) => event.name === 'ParseHTML' && event.args?.beginData?.url?.includes('/page/'));
  if (!parse) throw new Error('trace: the page was not parsed');
  const onMain = completeEvents(events.filter((event) => event.pid === parse.pid && event.tid === parse.tid));
  const mark = (name: string) => events.find((event) => event.name === name && event.cat.includes('user_timing'))?.ts;
  const load = events.find((event) => event.name === 'MarkLoad')?.ts ?? parse.ts;
  const whole = phaseTimes(onMain, 0, load + 500_000);
  const blocking = phaseTimes(onMain, mark('before-script') ?? 0, mark('after-script') ?? 0);
  const ms = (us: number) => us / 1000;
  return {
    phases: new Map([...whole.self].map(([phase, us]) => [phase, ms(us)])),
    blockingCpuMs: ms([...blocking.self.values()].reduce((sum, us) => sum + us, 0)),
    forcedMs: ms(whole.forced),
  };
}

export interface CpuCost {
  /** Median CPU ms per phase over the page without a script. */
  phases: Map<string, number>;
  /** Median main-thread CPU ms over the page without a script, through load + 500 ms. */
  totalMs: number;
  /** Median main-thread CPU ms between the marks around the script tag. */
  blockingCpuMs: number;
  forcedMs: number;
}

/** Medians of `runs` traced first visits of each embed's page, each less the page without a script. */
export async function cpuCosts(browser: Browser, embeds: Embed[], runs: number): Promise<Map<string, CpuCost>> {
  const pages = await serveEmbedPages(embeds);
  const traces = new Map<number, TraceBreakdown[]>();
  try {
    for (let run = 0; run < runs; run++) {
      for (const index of [NO_SCRIPT, ...embeds.keys()]) {
        const context = await browser.createBrowserContext();
        try {
          const tab = await context.newPage();
          await tab.tracing.start({ categories: CATEGORIES });
          await tab.goto(pages.url(index), { waitUntil: 'load' });
          await new Promise((resolve) => setTimeout(resolve, 500));
          const trace = JSON.parse(Buffer.from((await tab.tracing.stop())!).toString('utf8')) as { traceEvents: TraceEvent[] };
          traces.set(index, [...(traces.get(index) ?? []), analyse(trace.traceEvents)]);
        } finally {
          await context.close();
        }
      }
    }
  } finally {
    await pages.close();
  }
  const total = (breakdown: TraceBreakdown) => [...breakdown.phases.values()].reduce((sum, ms) => sum + ms, 0);
  const baseline = traces.get(NO_SCRIPT)!;
  const basePhase = (phase: string) => median(baseline.map((breakdown) => breakdown.phases.get(phase) ?? 0));
  return new Map(
    embeds.map((embed, index) => {
      const runsOf = traces.get(index)!;
      const phases = new Map(
        PHASES.map((phase) => [phase, median(runsOf.map((breakdown) => breakdown.phases.get(phase) ?? 0)) - basePhase(phase)]),
      );
      return [
        embed.name,
        {
          phases,
          totalMs: median(runsOf.map(total)) - median(baseline.map(total)),
          blockingCpuMs: median(runsOf.map((breakdown) => breakdown.blockingCpuMs)),
          forcedMs: median(runsOf.map((breakdown) => breakdown.forcedMs)),
        },
      ];
    }),
  );
}

/** The breakdown as a table, one column per embed, phases by ours (first) largest first. */
export function printCpuCosts(costs: Map<string, CpuCost>, shortNames: string[]): void {
  const columns = [...costs.values()];
  const ours = columns[0]!;
  const cell = (ms: number) => ms.toFixed(1).padStart(12);
  console.log(`  ${'phase'.padEnd(42)}${shortNames.map((name) => name.padStart(12)).join('')}`);
  for (const phase of PHASES.sort((a, b) => ours.phases.get(b)! - ours.phases.get(a)!))
    console.log(`  ${phase.padEnd(42)}${columns.map((cost) => cell(cost.phases.get(phase)!)).join('')}`);
  console.log(`  ${'total (medians of totals)'.padEnd(42)}${columns.map((cost) => cell(cost.totalMs)).join('')}`);
  console.log(
    `  ${'of which while the script tag blocks'.padEnd(42)}${columns.map((cost) => cell(cost.blockingCpuMs)).join('')}`,
  );
  console.log(`  ${'forced style/layout inside script'.padEnd(42)}${columns.map((cost) => cell(cost.forcedMs)).join('')}`);
}
