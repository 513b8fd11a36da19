// The bare baseline for `npm run bench:realtime`: a `ws` server that broadcasts every
// message it receives to every client. No auth, no rooms, no storage — what socket.io and
// our code are compared against. With an order rate (argv[3]) it also broadcasts, that many
// times a second, the two messages an order makes in ours (`order:new` and `offer:update`,
// of the same size), so both servers send every viewer the same number of messages.
import { WebSocketServer, WebSocket } from 'ws';

const port = Number(process.argv[2] ?? 0);
const orderRate = Number(process.argv[3] ?? 0);
const wss = new WebSocketServer({ port, host: '127.0.0.1' });

function broadcast(text: string) {
  for (const client of wss.clients) if (client.readyState === WebSocket.OPEN) client.send(text);
}

wss.on('connection', (socket) => {
  socket.on('message', (data: Buffer) => broadcast(data.toString()));
});

if (orderRate > 0) {
  let n = 0;
  setInterval(() => {
    n += 1;
    const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    broadcast(
      JSON.stringify({
        kind: 'order:new',
        id,
        streamId: '11111111-1111-4111-8111-111111111111',
        offerId: '22222222-2222-4222-8222-222222222222',
        productName: '赣南脐橙 5 斤',
        buyerName: '王**',
        quantity: 1,
        createdAt: new Date().toISOString(),
        leader: { displayName: '康健新村 李姐', community: '康健新村' },
      }),
    );
    broadcast(
      JSON.stringify({
        kind: 'offer:update',
        streamId: '11111111-1111-4111-8111-111111111111',
        offerId: '22222222-2222-4222-8222-222222222222',
        quantity: 100000,
        remaining: 100000 - n,
        groupMin: null,
        status: 'open',
      }),
    );
  }, 1000 / orderRate).unref();
}
wss.on('listening', () => {
  const address = wss.address();
  process.stdout.write(
    `listening ${typeof address === 'object' && address ? address.port : port}\n`,
  );
});
