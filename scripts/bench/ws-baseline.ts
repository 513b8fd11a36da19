// The bare baseline for `npm run bench:realtime`: a `ws` server that broadcasts every
// message it receives to every client. No auth, no rooms, no storage — what socket.io and
// our code are compared against.
import { WebSocketServer, WebSocket } from 'ws';

const port = Number(process.argv[2] ?? 0);
const wss = new WebSocketServer({ port, host: '127.0.0.1' });
wss.on('connection', (socket) => {
  socket.on('message', (data: Buffer) => {
    const text = data.toString();
    for (const client of wss.clients) if (client.readyState === WebSocket.OPEN) client.send(text);
  });
});
wss.on('listening', () => {
  const address = wss.address();
  process.stdout.write(
    `listening ${typeof address === 'object' && address ? address.port : port}\n`,
  );
});
