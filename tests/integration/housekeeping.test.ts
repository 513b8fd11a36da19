import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { RETENTION, runHousekeeping } from '../../server/jobs/housekeeping.jobs';
import { buildTestApp } from '../helpers/app';
import { makeBuyers, makeOffer, makeShop, order } from '../helpers/factories';

const { app, db } = buildTestApp();
afterAll(() => db.destroy());

const daysAgo = (days: number) => sql<Date>`now() - make_interval(days => ${days})`;

describe('housekeeping', () => {
  it('purges expired sessions, old webhook ids and old idempotency keys, and keeps the rest', async () => {
    const shop = await makeShop(app, db);
    const offerId = await makeOffer(db, shop, { quantity: 10 });
    const [buyer] = await makeBuyers(app, 1);
    const oldKey = randomUUID();
    const recentKey = randomUUID();
    const old = await order(buyer!, shop.streamId, { offerId }, oldKey);
    const recent = await order(buyer!, shop.streamId, { offerId }, recentKey);
    expect([old.status, recent.status]).toEqual([201, 201]);
    // created_at is never updated by the app (the row type says so): age it by hand
    await sql`update orders set created_at = ${daysAgo(RETENTION.idempotencyKeyDays + 1)} where id = ${old.order!.id}`.execute(
      db,
    );

    const user = await db
      .selectFrom('users')
      .select('id')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    const expired = randomBytes(16).toString('hex');
    const live = randomBytes(16).toString('hex');
    await db
      .insertInto('sessions')
      .values([
        { id: expired, user_id: user.id, expires_at: daysAgo(1) },
        { id: live, user_id: user.id, expires_at: sql<Date>`now() + interval '1 day'` },
      ])
      .execute();
    const oldEvent = `EV_old_${randomUUID()}`;
    const newEvent = `EV_new_${randomUUID()}`;
    await db
      .insertInto('livekit_webhook_events')
      .values([
        {
          id: oldEvent,
          event: 'room_started',
          created_at: daysAgo(RETENTION.webhookEventDays + 1),
          received_at: daysAgo(RETENTION.webhookEventDays + 1),
        },
        { id: newEvent, event: 'room_started', created_at: new Date() },
      ])
      .execute();

    const result = await runHousekeeping(db);
    expect(result.sessions).toBeGreaterThanOrEqual(1);
    expect(result.webhookEvents).toBeGreaterThanOrEqual(1);
    expect(result.idempotencyKeys).toBeGreaterThanOrEqual(1);

    const sessions = await db
      .selectFrom('sessions')
      .select('id')
      .where('id', 'in', [expired, live])
      .execute();
    expect(sessions.map((s) => s.id)).toEqual([live]);
    const events = await db
      .selectFrom('livekit_webhook_events')
      .select('id')
      .where('id', 'in', [oldEvent, newEvent])
      .execute();
    expect(events.map((e) => e.id)).toEqual([newEvent]);

    // The old order stays; only its key is forgotten. The recent key still replays.
    const orders = await db
      .selectFrom('orders')
      .select(['id', 'idempotency_key'])
      .where('id', 'in', [old.order!.id, recent.order!.id])
      .execute();
    expect(orders).toHaveLength(2);
    expect(orders.find((o) => o.id === old.order!.id)?.idempotency_key).toBeNull();
    const again = await order(buyer!, shop.streamId, { offerId }, recentKey);
    expect(again.order?.id).toBe(recent.order!.id);

    // A second pass finds nothing more to do.
    const second = await runHousekeeping(db);
    expect(second.webhookEvents).toBe(0);
    expect(second.idempotencyKeys).toBe(0);
  });
});
