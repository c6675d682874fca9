// The load generator of `npm run bench:server`, in a process of its own (forked), so its CPU is never
// counted as a server's. Open loop: request i leaves at start + i / rate whatever the answers before it
// did, over a pool of keep-alive connections, so the rate holds and a slow server shows as latency.
// (autocannon's overallRate is a per-second quota each connection spends back to back — bursts at every
// second — and its latency correction assumes a 1 ms interval, so it cannot show p99 at a steady rate.)
import { Pool } from 'undici';
import { nearestRank } from './nearest-rank.ts';

export interface LoadJob {
  url: string;
  ratePerSecond: number;
  durationSeconds: number;
  headers: Record<string, string>;
  body: string;
}

export interface LoadResult {
  sent: number;
  /** 2xx answers carrying a session token. */
  tokens: number;
  /** Everything else: other statuses, bodies without a token, network errors. */
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

const CONNECTIONS = 64;

async function run(job: LoadJob): Promise<LoadResult> {
  const url = new URL(job.url);
  const pool = new Pool(url.origin, { connections: CONNECTIONS });
  const total = Math.round(job.ratePerSecond * job.durationSeconds);
  const latencies = new Float64Array(total);
  const intervalMs = 1000 / job.ratePerSecond;
  let tokens = 0;
  let errors = 0;
  const inFlight: Promise<void>[] = [];

  const send = async (index: number) => {
    const started = performance.now();
    try {
      const response = await pool.request({ method: 'POST', path: url.pathname, headers: job.headers, body: job.body });
      const text = await response.body.text();
      if (response.statusCode >= 200 && response.statusCode < 300 && text.includes('"sessionToken"')) tokens++;
      else errors++;
    } catch {
      errors++;
    }
    latencies[index] = performance.now() - started;
  };

  const start = performance.now();
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / intervalMs) + 1);
      for (; next < due; next++) inFlight.push(send(next));
      if (next >= total) return resolve();
      setTimeout(tick, Math.max(0, start + next * intervalMs - performance.now()));
    };
    tick();
  });
  await Promise.all(inFlight);
  await pool.close();
  const sorted = latencies.sort();
  const at = (quantile: number) => nearestRank(sorted, quantile) ?? 0;
  return { sent: total, tokens, errors, p50Ms: at(0.5), p99Ms: at(0.99) };
}

process.on('message', (job: LoadJob) => {
  void run(job).then((result) => process.send!(result));
});
