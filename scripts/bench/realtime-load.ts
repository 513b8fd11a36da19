// The load side of `npm run bench:realtime`, run in its own process so it does not share a
// CPU budget with the server it measures. N viewers join one stream; a few commenters send
// 10 comments/s between them; every viewer timestamps what it receives. Prints one JSON line.
import { readFileSync } from 'node:fs';
import { io as connect, type Socket } from 'socket.io-client';
import WebSocket from 'ws';

interface Args {
  mode: 'socketio' | 'ws';
  url: string;
  streamId: string;
  viewers: number;
  seconds: number;
  rate: number;
  cookiesFile: string;
  /** orders per second placed over HTTP while comments flow (socket.io mode only) */
  orderRate: number;
  offerId: string;
  /** this process's viewers start at this index in the cookie file (the load is sharded) */
  viewerOffset: number;
  /** all shards' viewers together: the buyers' cookies follow them */
  totalViewers: number;
  /** the one shard that sends comments and orders; the others only receive */
  sender: boolean;
}

const args: Args = JSON.parse(process.argv[2] ?? '{}') as Args;
const cookies = readFileSync(args.cookiesFile, 'utf8').split('\n').filter(Boolean);
const latencies: number[] = [];
const orderLatencies: number[] = [];
const orderPostLatencies: number[] = [];
let ordersPlaced = 0;
let orderErrors = 0;
let received = 0;
let errors = 0;
let sent = 0;
let measuring = false;

function record(text: string) {
  const m = /^bench (\d+\.\d+)/.exec(text);
  if (!m || !measuring) return;
  received += 1;
  latencies.push(performance.timeOrigin + performance.now() - Number(m[1]));
}

async function openSocketIo(cookie: string): Promise<Socket> {
  const socket = connect(args.url, {
    path: '/socket.io',
    transports: ['websocket'],
    forceNew: true,
    extraHeaders: { cookie, origin: args.url },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  await new Promise<void>((resolve, reject) => {
    socket.emit('stream:join', { streamId: args.streamId }, (answer: unknown) => {
      if (typeof answer === 'object' && answer !== null && 'ok' in answer) resolve();
      else reject(new Error(`join refused: ${JSON.stringify(answer)}`));
    });
  });
  socket.on('comment:new', (c: { text: string }) => record(c.text));
  socket.on('order:new', (o: { createdAt: string }) => {
    if (measuring) orderLatencies.push(Date.now() - Date.parse(o.createdAt));
  });
  return socket;
}

async function openWs(): Promise<WebSocket> {
  const ws = new WebSocket(args.url.replace(/^http/, 'ws'));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.on('message', (data: Buffer) => {
    const msg = JSON.parse(Buffer.isBuffer(data) ? data.toString() : String(data)) as {
      text?: string;
      kind?: string;
    };
    // the baseline's order traffic (ws-baseline.ts): read, as a socket.io client reads it
    if (msg.kind === undefined && msg.text !== undefined) record(msg.text);
  });
  return ws;
}

async function main() {
  const started = Date.now();
  const viewers: (Socket | WebSocket)[] = [];
  // connect in batches so the handshake storm does not dominate
  for (let i = 0; i < args.viewers; i += 50) {
    const batch = Array.from({ length: Math.min(50, args.viewers - i) }, (_, j) =>
      args.mode === 'socketio'
        ? openSocketIo(cookies[(args.viewerOffset + i + j) % cookies.length]!)
        : openWs(),
    );
    viewers.push(...(await Promise.all(batch)));
  }
  const connectSeconds = (Date.now() - started) / 1000;

  // commenters: 1 comment per 2 s each is the per-user limit, so rate × 2 (+ slack) of them
  const commenterCount = args.sender ? Math.ceil(args.rate * 2.5) : 0;
  const commenters: (Socket | WebSocket)[] = [];
  for (let i = 0; i < commenterCount; i += 1) {
    commenters.push(
      args.mode === 'socketio'
        ? await openSocketIo(cookies[cookies.length - 1 - i]!)
        : await openWs(),
    );
  }

  // every shard connects first; the orchestrator then starts them together
  process.stdout.write('READY\n');
  await new Promise<void>((resolve) => {
    process.stdin.on('data', (d: Buffer) => {
      if (d.toString().includes('GO')) resolve();
    });
  });
  await new Promise((r) => setTimeout(r, 500));
  measuring = true;
  if (args.sender) process.stdout.write('MARK start\n');
  let next = 0;
  const interval = setInterval(() => {
    if (!args.sender) return;
    const who = commenters[next % commenters.length]!;
    next += 1;
    const text = `bench ${(performance.timeOrigin + performance.now()).toFixed(3)}`;
    sent += 1;
    if (who instanceof WebSocket) who.send(JSON.stringify({ text }));
    else
      who.emit('comment:send', { text }, (answer: unknown) => {
        if (!(typeof answer === 'object' && answer !== null && 'ok' in answer)) errors += 1;
      });
  }, 1000 / args.rate);
  // orders from guests who are not among the viewers, over HTTP like the order sheet
  let buyer = 0;
  const orderInterval =
    args.sender && args.mode === 'socketio' && args.orderRate > 0
      ? setInterval(() => {
          const index = (buyer++ % 200) + args.totalViewers;
          const cookie = cookies[index]!;
          const started = performance.now();
          ordersPlaced += 1;
          fetch(`${args.url}/api/streams/${args.streamId}/orders`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin: args.url, cookie },
            // each guest their own phone: per-buyer limits count a phone number as one buyer
            body: JSON.stringify({
              offerId: args.offerId,
              quantity: 1,
              phone: `139${String(index).padStart(8, '0')}`,
            }),
          }).then(
            (res) => {
              orderPostLatencies.push(performance.now() - started);
              if (res.status !== 201) orderErrors += 1;
            },
            () => (orderErrors += 1),
          );
        }, 1000 / args.orderRate)
      : undefined;
  await new Promise((r) => setTimeout(r, args.seconds * 1000));
  clearInterval(interval);
  clearInterval(orderInterval);
  if (args.sender) process.stdout.write('MARK end\n');
  await new Promise((r) => setTimeout(r, 1500));
  measuring = false;

  for (const v of [...viewers, ...commenters]) {
    if (v instanceof WebSocket) v.close();
    else v.disconnect();
  }
  latencies.sort((a, b) => a - b);
  orderLatencies.sort((a, b) => a - b);
  orderPostLatencies.sort((a, b) => a - b);
  const at = (xs: number[], p: number) =>
    xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
  const pct = (p: number) => at(latencies, p);
  const expected = sent * (args.viewers + commenterCount);
  // exit only once the (large) line is flushed to the pipe
  process.stdout.write(
    `${JSON.stringify({
      mode: args.mode,
      viewers: args.viewers,
      sent,
      errors,
      received,
      expected,
      p50: pct(50),
      p99: pct(99),
      max: latencies.at(-1) ?? NaN,
      connectSeconds,
      ordersPlaced,
      orderErrors,
      orderEvents: orderLatencies.length,
      orderEventP50: at(orderLatencies, 50),
      orderEventP99: at(orderLatencies, 99),
      orderPostP50: at(orderPostLatencies, 50),
      orderPostP99: at(orderPostLatencies, 99),
      commenters: commenterCount,
      // raw samples (0.1 ms), so shards can be merged into one distribution
      latencySamples: latencies.map((x) => Math.round(x * 10) / 10),
      orderSamples: orderLatencies,
    })}\n`,
    () => process.exit(0),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
