// The figures `npm run bench:server` prints: one measurement per contender and round, their medians,
// and the table with the targets of issue 11.
import type { LoadResult } from './fixed-rate-load.ts';

export interface Figures {
  cpuMicrosPerToken: number;
  p50Ms: number;
  p99Ms: number;
  tokens: number;
  errors: number;
}

/** CPU the server process spent during the load, per token it handed out. */
export function figuresOf(load: LoadResult, cpuSeconds: number): Figures {
  return {
    cpuMicrosPerToken: (cpuSeconds * 1e6) / Math.max(1, load.tokens),
    p50Ms: load.p50Ms,
    p99Ms: load.p99Ms,
    tokens: load.tokens,
    errors: load.errors,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Medians of each figure over the rounds (errors are summed: any error matters). */
export function medianFigures(rounds: Figures[]): Figures {
  return {
    cpuMicrosPerToken: median(rounds.map((round) => round.cpuMicrosPerToken)),
    p50Ms: median(rounds.map((round) => round.p50Ms)),
    p99Ms: median(rounds.map((round) => round.p99Ms)),
    tokens: median(rounds.map((round) => round.tokens)),
    errors: rounds.reduce((sum, round) => sum + round.errors, 0),
  };
}

export const TARGET_CPU_RATIO = 3;
export const TARGET_P99_MS = 10;

export function printTable(
  rows: { name: string; figures: Figures; perRound: number[]; afterIdle: number; afterIdlePerRound: number[] }[],
): void {
  const line = (cells: string[]) =>
    console.log(
      cells.map((cell, i) => (i === 0 ? cell.padEnd(42) : i === 7 ? `  ${cell}` : cell.padStart(i === 6 ? 12 : 10))).join(''),
    );
  line([
    'server (steady)',
    'µs/token',
    'p50 ms',
    'p99 ms',
    'tokens',
    'errors',
    'after idle',
    'µs/token per run: steady; after idle',
  ]);
  for (const { name, figures, perRound, afterIdle, afterIdlePerRound } of rows) {
    const runs = (values: number[]) => values.map((value) => value.toFixed(0)).join('/');
    line([
      name,
      figures.cpuMicrosPerToken.toFixed(0),
      figures.p50Ms.toFixed(1),
      figures.p99Ms.toFixed(1),
      String(figures.tokens),
      String(figures.errors),
      afterIdle.toFixed(0),
      `${runs(perRound)}; ${runs(afterIdlePerRound)}`,
    ]);
  }
}

const ratioOfRounds = (theirs: number[], ours: number[]) => median(theirs.map((value, round) => value / ours[round]!));

/**
 * Issue 11's goal: ≥ 3× less CPU per token than the Express proxy, p99 ≤ 10 ms, no errors. The ratio is
 * the median of each round's own ratio: the two are measured a minute apart at most, under the same load.
 */
export function printVerdict(
  ours: { figures: Figures; perRound: number[]; afterIdlePerRound: number[] },
  express: { perRound: number[]; afterIdlePerRound: number[] },
  floor: { perRound: number[] },
): boolean {
  const ratio = ratioOfRounds(express.perRound, ours.perRound);
  const cpuHolds = ratio >= TARGET_CPU_RATIO;
  const p99Holds = ours.figures.p99Ms <= TARGET_P99_MS;
  const clean = ours.figures.errors === 0;
  console.log(
    `\nExpress proxy / this server, CPU per token (median of the rounds): ${ratio.toFixed(2)}× (target ≥ ${TARGET_CPU_RATIO}×): ${cpuHolds ? 'holds' : 'MISSED'}`,
  );
  // What no server that forwards to the API can beat on this machine: the bare route with no checks at all.
  console.log(
    `  the floor (bare Fastify + undici, no checks) would reach ${ratioOfRounds(express.perRound, floor.perRound).toFixed(2)}×`,
  );
  console.log(`  just after idling: ${ratioOfRounds(express.afterIdlePerRound, ours.afterIdlePerRound).toFixed(2)}×`);
  console.log(
    `this server's p99: ${ours.figures.p99Ms.toFixed(1)} ms (target ≤ ${TARGET_P99_MS} ms): ${p99Holds ? 'holds' : 'MISSED'}`,
  );
  if (!clean) console.log(`this server answered ${ours.figures.errors} requests without a token: MISSED`);
  return cpuHolds && p99Holds && clean;
}

/** The side-by-side rounds of this server (first) and a baseline (second): medians and their ratio. */
export function printBeforeAfter(pairs: [ours: Figures, baseline: Figures][]): void {
  const ours = medianFigures(pairs.map(([figures]) => figures));
  const baseline = medianFigures(pairs.map(([, figures]) => figures));
  const cpu = (index: 0 | 1) => pairs.map((pair) => pair[index].cpuMicrosPerToken);
  const ratio = ratioOfRounds(cpu(0), cpu(1));
  const runs = (index: 0 | 1) =>
    cpu(index)
      .map((value) => value.toFixed(0))
      .join('/');
  console.log(
    `baseline     ${baseline.cpuMicrosPerToken.toFixed(0)} µs/token  p99 ${baseline.p99Ms.toFixed(1)} ms  runs ${runs(1)}`,
  );
  console.log(`this server  ${ours.cpuMicrosPerToken.toFixed(0)} µs/token  p99 ${ours.p99Ms.toFixed(1)} ms  runs ${runs(0)}`);
  console.log(`this server / baseline, CPU per token (median of the rounds' ratios): ${ratio.toFixed(3)}`);
}
