// Where the app's CPU went during one phase of `BENCH_PROFILE=<dir> npm run bench:orders`:
//   tsx scripts/bench/profile-summary.ts <dir> [phase] [top]
// reads the V8 CPU profile the server wrote and phases.json, keeps the samples taken during the
// phase (default: sustained), and prints the functions by self time and the code areas (the
// app's own folders, pg, hono, zod, node internals…) by self time, each as a share of the
// phase's busy samples. Inclusive time per app function follows, so "session lookup" or
// "query building" can be read off as one figure.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [dir, phaseName = 'sustained', topArg = '25'] = process.argv.slice(2);
if (!dir) {
  console.error('usage: tsx scripts/bench/profile-summary.ts <dir> [phase] [top]');
  process.exit(2);
}
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error(`no .cpuprofile in ${dir}`);
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
const phases = JSON.parse(readFileSync(join(dir, 'phases.json'), 'utf8')) as Record<
  string,
  [number, number]
>;
const window = phases[phaseName];
if (!window) throw new Error(`no phase ${phaseName}: ${Object.keys(phases).join(', ')}`);

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

function area(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const m = /node_modules\/(@[^/]+\/[^/]+|[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return 'node internals';
  const app = /\/(server|db|media|web)\/(.*)$/.exec(url);
  if (app) return `${app[1]}/${app[2]!.split('/').slice(0, -1).join('/') || '.'}`;
  return url;
}
const label = (n: Node) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules\/)?/, '')}:${n.callFrame.lineNumber + 1}`;

const self = new Map<string, number>();
const areas = new Map<string, number>();
const inclusive = new Map<string, number>();
let busy = 0;
let idle = 0;
let t = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i]!;
  if (t < window[0] || t > window[1]) continue;
  const node = byId.get(profile.samples[i]!)!;
  const dt = profile.timeDeltas[i]!;
  const name = node.callFrame.functionName;
  if (name === '(idle)') {
    idle += dt;
    continue;
  }
  busy += dt;
  self.set(label(node), (self.get(label(node)) ?? 0) + dt);
  const a = area(node.callFrame.url, name);
  areas.set(a, (areas.get(a) ?? 0) + dt);
  // inclusive time of the app's own functions, each counted once per sample
  const seen = new Set<string>();
  for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
    const n = byId.get(id)!;
    if (!/\/(server|db)\//.test(n.callFrame.url) || n.callFrame.url.includes('node_modules')) {
      continue;
    }
    const l = label(n);
    if (seen.has(l)) continue;
    seen.add(l);
    inclusive.set(l, (inclusive.get(l) ?? 0) + dt);
  }
}

const top = Number(topArg);
const pct = (v: number) => `${((100 * v) / busy).toFixed(1).padStart(5)}%`;
const print = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${pct(v)}  ${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`);
  }
};
console.log(
  `phase ${phaseName}: ${((window[1] - window[0]) / 1e6).toFixed(1)} s, busy ${(busy / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms`,
);
print('self time by area', areas);
print('self time by function', self);
print("inclusive time of the app's functions", inclusive);
