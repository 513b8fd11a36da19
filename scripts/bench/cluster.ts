// Two (or N) app processes behind one port, with Node's cluster: the primary holds the
// listening socket and hands connections to the workers in turn, each worker running
// server/main.ts exactly as `npm start` does. Used by `npm run bench:orders` and
// `npm run bench:realtime` for their scale-out runs (BENCH_PROCESSES); the workers share
// PostgreSQL and Redis (REDIS_URL must be set: the stock gate, the realtime adapter and the
// session cache's invalidations go through it).
//   APP_PROCESSES=2 REDIS_URL=redis://127.0.0.1:6379 node --import tsx scripts/bench/cluster.ts
import cluster from 'node:cluster';

const count = Math.max(1, Number(process.env.APP_PROCESSES ?? 2));
if (!process.env.REDIS_URL) {
  process.stderr.write('cluster.ts: set REDIS_URL, the processes share their state through it\n');
  process.exit(2);
}
// the scheduling the primary uses on Linux anyway, said out loud: round robin
cluster.schedulingPolicy = cluster.SCHED_RR;
cluster.setupPrimary({
  exec: 'server/main.ts',
  execArgv: [...process.execArgv.filter((a) => !a.startsWith('--cpu-prof')), '--import', 'tsx'],
});
let stopping = false;
for (let i = 0; i < count; i++) cluster.fork();
cluster.on('exit', (worker, code, signal) => {
  if (stopping) return;
  process.stderr.write(`worker ${worker.process.pid} exited (${signal ?? code}); stopping\n`);
  stop('SIGTERM');
});

function stop(signal: NodeJS.Signals) {
  stopping = true;
  for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
  setTimeout(() => process.exit(0), 3000).unref();
  cluster.on('exit', () => {
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  });
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
