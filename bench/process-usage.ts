import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** Resident memory of a process, in MiB. */
export function residentMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kib / 1024;
}

/** A process and all its descendants (the server and the local engine's media process). */
export function processTree(pid: number): number[] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  return [pid, ...children.flatMap(processTree)];
}

/** CPU share of one core a process and its descendants used over `seconds`, and their memory at the end. */
export async function measure(pid: number, seconds: number): Promise<{ cpuPercent: number; memoryMiB: number }> {
  const before = new Map(processTree(pid).map((each) => [each, cpuSeconds(each)]));
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const elapsed = (performance.now() - started) / 1000;
  const tree = processTree(pid);
  const cpu = tree.reduce((sum, each) => sum + cpuSeconds(each) - (before.get(each) ?? 0), 0);
  return { cpuPercent: (cpu / elapsed) * 100, memoryMiB: tree.reduce((sum, each) => sum + residentMiB(each), 0) };
}
