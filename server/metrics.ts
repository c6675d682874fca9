/** Upper bounds (seconds) of the upstream latency histogram. */
const LATENCY_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The server's counters, written out in Prometheus text format. Small enough that a client
 * library would be more code than it saves.
 */
export class Metrics {
  private tokensMinted = 0;
  private rateLimited = 0;
  private budgetRefusals = 0;
  private readonly upstreamFailures = new Map<string, number>();
  private readonly latencyBuckets = new Array<number>(LATENCY_BUCKETS.length).fill(0);
  private latencyCount = 0;
  private latencySum = 0;

  tokenMinted(): void {
    this.tokensMinted++;
  }

  requestRateLimited(): void {
    this.rateLimited++;
  }

  budgetExhausted(): void {
    this.budgetRefusals++;
  }

  /** One upstream attempt: its latency, and a failure by status unless it succeeded. */
  upstreamAttempt({ status, durationMs }: { status: number | string; durationMs: number }): void {
    this.upstreamLatency(durationMs / 1000);
    if (typeof status !== 'number' || status >= 400) this.upstreamFailed(String(status));
  }

  upstreamFailed(code: string): void {
    this.upstreamFailures.set(code, (this.upstreamFailures.get(code) ?? 0) + 1);
  }

  upstreamLatency(seconds: number): void {
    this.latencyCount++;
    this.latencySum += seconds;
    LATENCY_BUCKETS.forEach((bound, index) => {
      if (seconds <= bound) this.latencyBuckets[index]!++;
    });
  }

  render(): string {
    const lines = [
      '# HELP anam_tokens_minted_total Session tokens handed to visitors.',
      '# TYPE anam_tokens_minted_total counter',
      `anam_tokens_minted_total ${this.tokensMinted}`,
      '# HELP anam_rate_limited_total Token requests refused by the rate limit.',
      '# TYPE anam_rate_limited_total counter',
      `anam_rate_limited_total ${this.rateLimited}`,
      '# HELP anam_token_budget_exhausted_total Token requests refused because TOKEN_BUDGET_PER_HOUR was spent.',
      '# TYPE anam_token_budget_exhausted_total counter',
      `anam_token_budget_exhausted_total ${this.budgetRefusals}`,
      '# HELP anam_upstream_failures_total Failed token requests to the Anam API, by error code.',
      '# TYPE anam_upstream_failures_total counter',
      ...[...this.upstreamFailures].map(([code, count]) => `anam_upstream_failures_total{code="${code}"} ${count}`),
      '# HELP anam_upstream_latency_seconds Time the Anam API took per attempt.',
      '# TYPE anam_upstream_latency_seconds histogram',
      ...LATENCY_BUCKETS.map(
        (bound, index) => `anam_upstream_latency_seconds_bucket{le="${bound}"} ${this.latencyBuckets[index]}`,
      ),
      `anam_upstream_latency_seconds_bucket{le="+Inf"} ${this.latencyCount}`,
      `anam_upstream_latency_seconds_sum ${this.latencySum}`,
      `anam_upstream_latency_seconds_count ${this.latencyCount}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}
