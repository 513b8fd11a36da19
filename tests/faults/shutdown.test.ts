import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/schema';
import {
  cleanupsAfterAll,
  expectStormBooks,
  guest,
  type HttpClient,
  json,
  outboxDrained,
  setUpShop,
  sleep,
  startServerProcess,
  watchStream,
} from '../helpers/server-process';
import { freePort } from '../setup/ports';
import { createTestDatabase, kyselyFor } from '../setup/services';
import { phoneOf } from '../helpers/phones';

// A deploy or a compose restart sends SIGTERM in the middle of a flash sale. The process
// must finish what it accepted before it goes: a request either gets its answer, or is
// refused before the server took it (and then the retry under the same Idempotency-Key
// places the order). An order committed whose answer was lost would come back to the
// retry as a replay: that is the failure this test looks for.

const cleanups = cleanupsAfterAll(afterAll);

interface Attempt {
  startedAt: number;
  endedAt: number;
  outcome: 'answer' | 'refused';
  status?: number;
  replayed?: boolean;
}

describe('SIGTERM during an order storm', () => {
  it('answers every request it accepted, then the restarted app reconciles every retried key', async () => {
    const database = await createTestDatabase('fault_term_signal');
    cleanups.push(() => database.drop());
    const port = await freePort();
    let server = await startServerProcess(database.url, port);
    cleanups.push(() => server.kill('SIGKILL'));

    const { streamId, offerId } = await setUpShop(server.baseUrl, { quantity: 150 });
    const buyers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => guest(server.baseUrl, `邻居${i}`)),
    );
    const viewer = await guest(server.baseUrl, '观众');
    const watch1 = await watchStream(server.baseUrl, streamId, viewer.cookie);

    let back = (): void => undefined;
    const serverBack = new Promise<void>((ok) => (back = ok));
    let signal = (): void => undefined;
    const signalSent = new Promise<void>((ok) => (signal = ok));
    // the last residents arrive just after the signal, whenever it comes: on a slow machine
    // the first ones may all be in the server's hands before it, and some must find it closing
    const LATE = 30;
    let answered = 0;
    let inFlight = 0;
    // residents keep arriving: twenty at a time, every 100 ms, for a second
    const buy = async (buyer: HttpClient, i: number) => {
      if (i >= buyers.length - LATE) await signalSent.then(() => sleep(20));
      else await sleep(Math.floor(i / 20) * 100);
      const key = randomUUID();
      const attempts: Attempt[] = [];
      for (;;) {
        const startedAt = Date.now();
        inFlight += 1;
        const answer = await buyer
          .post(
            `/api/streams/${streamId}/orders`,
            { offerId, quantity: 1, phone: phoneOf(buyer) },
            { 'idempotency-key': key },
          )
          .then(async (res) => ({ res, body: await json<{ order?: { id: string } }>(res) }))
          .catch(() => null)
          .finally(() => (inFlight -= 1));
        if (!answer) {
          // refused: the server is stopping or down; retry the same key once it is back
          attempts.push({ startedAt, endedAt: Date.now(), outcome: 'refused' });
          await serverBack;
          continue;
        }
        const { res, body } = answer;
        attempts.push({
          startedAt,
          endedAt: Date.now(),
          outcome: 'answer',
          status: res.status,
          replayed: res.headers.get('idempotent-replayed') === 'true',
        });
        if (res.status === 201 || res.status === 409) {
          answered += 1;
          return { attempts, status: res.status, orderId: body.order?.id };
        }
        await sleep(50 + Math.random() * 100);
      }
    };
    const storm = buyers.map(buy);

    // signal once the storm is under way, with requests in the server's hands
    while ((answered < 20 || inFlight < 5) && answered < buyers.length) await sleep(1);
    expect(answered, 'the storm ended before the signal').toBeLessThan(buyers.length);
    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    signal();
    await server.exited;
    const exitCode = server.child.exitCode;
    const stoppedAt = Date.now();
    const output = server.output.join('');
    watch1.close();

    server = await startServerProcess(database.url, port);
    const watch2 = await watchStream(server.baseUrl, streamId, viewer.cookie);
    back();
    const results = await Promise.all(storm);

    const db = kyselyFor<DB>(database.url);
    cleanups.push(() => db.destroy());
    await outboxDrained(db);
    watch2.close();

    // a clean, graceful exit
    expect(exitCode, output).toBe(0);
    const attempts = results.flatMap((r) => r.attempts);
    // the signal landed mid-storm: requests were in flight and were answered after it
    const answeredWhileStopping = attempts.filter(
      (a) => a.outcome === 'answer' && a.startedAt < signalledAt && a.endedAt >= signalledAt,
    );
    expect(answeredWhileStopping.length).toBeGreaterThan(0);
    expect(attempts.some((a) => a.outcome === 'refused')).toBe(true);
    // nothing was cut off after being accepted: no retry found an order already placed
    const lostAnswers = results.filter((r) => r.attempts.some((a) => a.replayed));
    expect(lostAnswers.map((r) => r.orderId)).toEqual([]);
    // no 5xx answer
    expect(attempts.filter((a) => (a.status ?? 0) >= 500)).toEqual([]);

    const won = results.filter((r) => r.status === 201);
    expect(won).toHaveLength(150);
    expect(results.filter((r) => r.status === 409)).toHaveLength(50);
    await expectStormBooks(
      db,
      offerId,
      won.map((w) => w.orderId),
      [...watch1.events, ...watch2.events],
    );
    expect(stoppedAt - signalledAt).toBeLessThan(30_000);
  });
});
