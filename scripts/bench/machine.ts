import { execFileSync, execSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

/** One line saying what the figures were measured on, and when (`spin`: spinMs() now). */
export function machineLine(spin = spinMs()): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const gib = (totalmem() / 2 ** 30).toFixed(0);
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  let node = process.version;
  try {
    node = execSync(`${process.execPath} --version`).toString().trim();
  } catch {
    // keep process.version
  }
  return `${cpus().length} × ${cpu}, ${gib} GiB RAM, Node ${node}; load average before the run ${load}; a fixed loop of 10⁸ additions took ${spin} ms (this VM's speed varies from run to run: compare runs by it); ${new Date().toISOString()}`;
}

/** How long this machine takes for a fixed loop now: runs on a shared VM differ by up to 2×. */
export function spinMs(): number {
  const t0 = performance.now();
  let x = 0;
  for (let i = 0; i < 1e8; i++) x += i;
  if (x < 0) throw new Error('unreachable');
  return Math.round(performance.now() - t0);
}

/** The commit measured, marked `+changes` if the app's code differs from it. */
export function benchCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync(
      'git',
      ['status', '--porcelain', '--', 'web', 'server', 'media', 'db'],
      { encoding: 'utf8' },
    ).trim();
    return dirty ? `${head}+changes` : head;
  } catch {
    return 'n/a';
  }
}

/**
 * A section's record of runs: the rows under `header` in BENCHMARKS.md's `<!-- bench:NAME -->`
 * block, then `row` (this run), the last `keep` of them, under a line saying so. The rows
 * start with the run's date, which is how they are told from the rest of the block.
 */
export function runHistory(name: string, header: string, row: string, keep = 12): string {
  const text = existsSync('BENCHMARKS.md') ? readFileSync('BENCHMARKS.md', 'utf8') : '';
  const block = text.split(`<!-- bench:${name} -->`)[1]?.split(`<!-- /bench:${name} -->`)[0];
  const rows = (block?.split(header)[1] ?? '')
    .split('\n')
    .filter((line) => /^\| \d{4}-/.test(line));
  return `The runs recorded so far, oldest first (each run adds its row; the last is the run above):\n\n${header}\n${[...rows, row].slice(-keep).join('\n')}`;
}

/** Now, as the first column of a runHistory row. */
export const runDate = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** Replaces the section between `<!-- bench:NAME -->` markers in BENCHMARKS.md, keeping the rest. */
export function writeBenchmarkSection(name: string, markdown: string): void {
  const path = 'BENCHMARKS.md';
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  let text = existsSync(path)
    ? readFileSync(path, 'utf8')
    : "# Benchmarks\n\nFigures measured by `npm run bench:…` scripts on this project's machines. Each section is rewritten by its script.\n";
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  text =
    i >= 0 && j > i
      ? text.slice(0, i) + block + text.slice(j + end.length)
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, text);
}

/** CPU seconds a process has used so far (user + system), from /proc. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100; // CLK_TCK is 100 on Linux
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Whole-machine busy and total CPU ticks so far, from /proc/stat; diff two readings. */
export function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const nums = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (nums[3] ?? 0) + (nums[4] ?? 0);
  const total = nums.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** A process and every descendant of it, from /proc (a cluster's workers, egress handlers). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const all = [root];
  for (let i = 0; i < all.length; i++) all.push(...(children.get(all[i]!) ?? []));
  return all;
}

/** CPU seconds used so far by `root` and its living descendants. */
export function treeCpuSeconds(root: number): number {
  let total = 0;
  for (const pid of processTree(root)) {
    try {
      total += cpuSeconds(pid);
    } catch {
      // exited between the listing and the read
    }
  }
  return total;
}

/**
 * What to start for the app as `processes` processes: server/main.ts alone, or
 * scripts/bench/cluster.ts with that many workers behind one port. Several processes share
 * the stock gate, the sockets' rooms, the limits and session invalidations through Redis;
 * one keeps them in memory, as a single-process shop does (so REDIS_URL is left out).
 */
export function appLaunch(processes: number): { entry: string; env: NodeJS.ProcessEnv } {
  const { REDIS_URL, ...inherited } = process.env;
  return processes > 1
    ? {
        entry: 'scripts/bench/cluster.ts',
        env: {
          ...inherited,
          APP_PROCESSES: String(processes),
          REDIS_URL: REDIS_URL ?? 'redis://127.0.0.1:6379',
        },
      }
    : { entry: 'server/main.ts', env: inherited };
}
