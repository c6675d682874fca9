import { spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { locateBrowser, type Engine } from './find-browser.ts';

interface EngineRun {
  engine: Engine;
  outcome: 'passed' | 'failed' | 'skipped';
  seconds: number;
  /** The suite's own count line (e.g. "52 passed, 0 failed, 5 skipped"), or why it was skipped. */
  detail: string;
}

function runOne(command: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), {
      env: { ...process.env, ...env },
      stdio: ['inherit', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      output += stripVTControlCharacters(chunk.toString());
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (signal) output += `\nkilled by ${signal}`;
      resolve({ code: code ?? 1, output });
    });
  });
}

/**
 * Runs one suite in each engine, one after another (parallel browsers starve the media on two cores),
 * then prints per-engine outcome, counts and time. An engine missing from the machine is skipped with a
 * loud line saying why; under CI (CI set) that is a failure, since CI installs every engine.
 */
export async function runInEngines(
  suite: string,
  engines: readonly Engine[],
  command: (engine: Engine) => { argv: string[]; env: Record<string, string> },
  /** The suite's counts, read from its output. */
  summarize: (output: string) => string,
): Promise<never> {
  const runs: EngineRun[] = [];
  for (const engine of engines) {
    const located = locateBrowser(engine);
    if ('missing' in located) {
      console.error(`\n!!! SKIPPED: ${suite} in ${engine}. ${located.missing}\n`);
      runs.push({ engine, outcome: 'skipped', seconds: 0, detail: located.missing });
      continue;
    }
    console.log(`\n=== ${suite} in ${engine} (${located.path})`);
    const started = performance.now();
    const { argv, env } = command(engine);
    const { code, output } = await runOne(argv, env);
    const seconds = (performance.now() - started) / 1000;
    const died = /killed by \w+$/.exec(output)?.[0];
    runs.push({
      engine,
      outcome: code === 0 ? 'passed' : 'failed',
      seconds,
      detail: [summarize(output), died].filter(Boolean).join(', '),
    });
  }
  console.log(`\n${suite}, per engine:`);
  for (const run of runs)
    console.log(
      `  ${run.engine.padEnd(9)} ${run.outcome.toUpperCase().padEnd(8)} ${run.seconds.toFixed(1).padStart(6)} s  ${run.detail}`,
    );
  const failed = runs.some((run) => run.outcome === 'failed' || (run.outcome === 'skipped' && process.env['CI']));
  process.exit(failed ? 1 : 0);
}
