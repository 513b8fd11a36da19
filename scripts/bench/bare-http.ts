// A bare Hono endpoint on @hono/node-server, as the app serves its API: it reads the JSON
// body and answers 409 sold_out, nothing else. bench:orders sends it the flash sale's 1,000
// simultaneous requests in the same run, as the floor of Node's own per-request HTTP cost
// on this machine (PORT from the environment).
import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.post('/order', async (c) => {
  const body: unknown = await c.req.json();
  return c.json({ error: { code: 'sold_out', message: 'Sold out.', body: typeof body } }, 409);
});
app.get('/health', (c) => c.text('ok'));
const listener = getRequestListener(app.fetch);
// the app's own listen backlog (server/main.ts), so both meet the crowd the same way
createServer((req, res) => void listener(req, res)).listen({
  port: Number(process.env.PORT),
  host: '127.0.0.1',
  backlog: 4096,
});
