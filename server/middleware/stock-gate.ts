import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../context';
import { AppError } from '../errors';
import { SESSION_COOKIE } from '../services/session.service';
import { replayKeyOf, stockGateFor } from '../services/stock-gate.service';

/**
 * In front of POST /api/streams/{streamId}/orders, before the session is looked up: a
 * buyer asking for more than the gate knows is left is told "sold out" without touching the
 * database (see stock-gate.service.ts). Anything the gate cannot read (a malformed body)
 * goes on to the route, which answers it properly. The ticket (the units let through) is
 * handed to the order service, which tells the gate what its own statement found.
 */
const SOLD_OUT = new AppError('sold_out', 'Sold out.');

export const stockGate: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method !== 'POST') return next();
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return next();
  }
  if (typeof body !== 'object' || body === null) return next();
  const { offerId, quantity } = body as { offerId?: unknown; quantity?: unknown };
  if (typeof offerId !== 'string' || typeof quantity !== 'number' || !Number.isInteger(quantity)) {
    return next();
  }
  const replayKey = replayKeyOf(getCookie(c, SESSION_COOKIE), c.req.header('idempotency-key'));
  const gate = stockGateFor(c.var.deps);
  const key = c.req.header('idempotency-key');
  const ticket = await gate.admit(offerId, quantity, replayKey, key ?? null);
  // answered here, as onError would, without building an error and its stack per loser
  if (!ticket) return c.json(SOLD_OUT.toBody(), SOLD_OUT.status);
  c.set('stockGate', ticket);
  try {
    await next();
  } finally {
    // whatever became of the request (the order service releases it as soon as it knows)
    gate.release(ticket);
  }
};
