import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Steady-state throughput, measured the way JVM harnesses such as JMH do it. Each line runs in a
 * process of its own, so one line's JIT feedback and heap do not carry over to another's (the
 * engine's code, profiled on the default pack first, would otherwise run the 1,000-rule pack on
 * that pack's feedback). Each process warms up for a second, then is timed over several slices; the
 * figure is the median slice of all the processes, printed with the slowest and fastest beside it.
 * Rates are per second of CPU time of the process, so time spent waiting for a core does not count;
 * a core that itself runs slower (a busy neighbour on a shared host) still shows, hence the range.
 */
export interface SteadyOptions {
  warmupMs: number;
  slices: number;
  sliceMs: number;
}

export const STEADY: SteadyOptions = { warmupMs: 1_000, slices: 5, sliceMs: 300 };

export interface Rate {
  median: number;
  low: number;
  high: number;
}

/** Rates of `run` (it returns how many items it did) over each slice, after the warm-up; a slice is one run at least. */
export function sliceRates(run: () => number, options: SteadyOptions = STEADY): number[] {
  const warm0 = performance.now();
  do run();
  while (performance.now() - warm0 < options.warmupMs);
  const rates: number[] = [];
  for (let s = 0; s < options.slices; s++) {
    let n = 0;
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    do n += run();
    while (performance.now() - wall0 < options.sliceMs);
    const cpu = process.cpuUsage(cpu0);
    rates.push(n / ((cpu.user + cpu.system) / 1e6));
  }
  return rates;
}

export function summarise(rates: readonly number[]): Rate {
  const sorted = [...rates].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, low: sorted[0]!, high: sorted[sorted.length - 1]! };
}

/** What a line's process prints on its last line of output: its slice rates and anything else it measured. */
export interface LineResult {
  rates: number[];
  extra?: Record<string, string | number>;
}

const RESULT = 'LINE-RESULT ';

/** In a line's own process: print the result for the parent to read. */
export function report(result: LineResult): void {
  process.stdout.write(`${RESULT}${JSON.stringify(result)}\n`);
}

/**
 * Runs `script --line NAME` `forks` times, one process after the other (the same Node flags and
 * loader as this process), and pools their slices.
 */
export function measureInForks(script: URL, line: string, forks: number): { rate: Rate; extra: Record<string, string | number> } {
  const rates: number[] = [];
  let extra: Record<string, string | number> = {};
  for (let f = 0; f < forks; f++) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(script), '--line', line], { encoding: 'utf8', maxBuffer: 16 * 2 ** 20 });
    const out = child.stdout.split('\n').find((l) => l.startsWith(RESULT));
    if (child.status !== 0 || out === undefined) throw new Error(`bench line ${line} failed (exit ${child.status}): ${child.stderr.trim().slice(-2_000)}`);
    const result = JSON.parse(out.slice(RESULT.length)) as LineResult;
    rates.push(...result.rates);
    extra = { ...extra, ...result.extra };
  }
  return { rate: summarise(rates), extra };
}
