import type { Database } from '../../db/database';
import {
  claimStaleOutbox,
  deleteOutbox,
  deleteOutboxIn,
  type OutboxEvent,
  type OutboxRow,
} from '../../db/repositories/outbox.repository';
import type { RealtimeBus } from '../realtime/bus';
import { findOffersByIds } from '../../db/repositories/offer.repository';
import {
  GroupReachedPayload,
  OfferUpdatePayload,
  OrderNewPayload,
  offerUpdate,
} from '../contracts/realtime';
import { WaitlistOfferPayload } from '../contracts/waitlist';
import { offerStatus } from '../rules/offer';

/**
 * "Event after commit" that survives a crash: commerce changes write their realtime events
 * to `commerce_outbox` in the same transaction. After commit the request publishes them on
 * the bus and deletes them (deletes are batched); if the process dies in between, the
 * sweep (at start and every few seconds) publishes whatever is older than a few seconds.
 * Delivery is therefore at least once: a crash after publishing and before the delete
 * repeats an event, never loses one.
 */
export type CommerceEvent =
  | { event: 'order:new'; payload: OrderNewPayload }
  | { event: 'offer:update'; payload: OfferUpdatePayload }
  | { event: 'group:reached'; payload: GroupReachedPayload }
  | { event: 'waitlist:offer'; payload: WaitlistOfferPayload };

export function toOutbox(streamId: string, events: CommerceEvent[]): OutboxEvent[] {
  return events.map((e) => ({ stream_id: streamId, event: e.event, payload: e.payload }));
}

/** Outbox payloads come back from jsonb as unknown: parse, never cast. */
function publishRow(bus: RealtimeBus, row: OutboxRow): boolean {
  switch (row.event) {
    case 'order:new': {
      const p = OrderNewPayload.safeParse(row.payload);
      if (p.success) bus.publish(row.stream_id, 'order:new', p.data);
      return p.success;
    }
    case 'offer:update': {
      const p = OfferUpdatePayload.safeParse(row.payload);
      if (p.success) bus.publish(row.stream_id, 'offer:update', p.data);
      return p.success;
    }
    case 'group:reached': {
      const p = GroupReachedPayload.safeParse(row.payload);
      if (p.success) bus.publish(row.stream_id, 'group:reached', p.data);
      return p.success;
    }
    case 'waitlist:offer': {
      const p = WaitlistOfferPayload.safeParse(row.payload);
      if (p.success) bus.publish(row.stream_id, 'waitlist:offer', p.data);
      return p.success;
    }
    default:
      return false;
  }
}

const pendingDeletes = new WeakMap<Database, { ids: number[]; timer: NodeJS.Timeout | null }>();

/** Publishes events whose transaction has committed, then forgets them (batched). */
export function publishCommitted(
  db: Database,
  bus: RealtimeBus,
  rows: OutboxRow[],
  onError: (err: unknown) => void,
): void {
  if (rows.length === 0) return;
  for (const row of rows) publishRow(bus, row);
  let batch = pendingDeletes.get(db);
  if (!batch) {
    batch = { ids: [], timer: null };
    pendingDeletes.set(db, batch);
  }
  batch.ids.push(...rows.map((r) => r.id));
  if (batch.timer) return;
  const b = batch;
  b.timer = setTimeout(() => {
    const ids = b.ids.splice(0);
    b.timer = null;
    deleteOutbox(db, ids).catch(onError);
  }, 20);
}

/**
 * Deletes the rows already published now rather than in a moment (a stopping process).
 * Whatever it cannot delete is republished by the next sweep: repeated, never lost.
 */
export async function flushOutbox(db: Database): Promise<void> {
  const batch = pendingDeletes.get(db);
  if (!batch) return;
  if (batch.timer) clearTimeout(batch.timer);
  batch.timer = null;
  const ids = batch.ids.splice(0);
  if (ids.length) await deleteOutbox(db, ids);
}

/**
 * An order's stock update is not kept in the outbox (placeOrder sends it from the row its
 * statement returned): for the orders a dead process did not announce, the sweep sends
 * each offer's stock as it is now, which is at least as new as the one that was lost.
 */
async function publishStockOf(db: Database, bus: RealtimeBus, rows: OutboxRow[]): Promise<void> {
  const offerIds = new Set<string>();
  for (const row of rows) {
    if (row.event !== 'order:new') continue;
    const p = OrderNewPayload.safeParse(row.payload);
    if (p.success) offerIds.add(p.data.offerId);
  }
  if (offerIds.size === 0) return;
  for (const offer of await findOffersByIds(db, [...offerIds])) {
    bus.publish(
      offer.stream_id,
      'offer:update',
      offerUpdate({
        streamId: offer.stream_id,
        offerId: offer.id,
        quantity: offer.quantity,
        remaining: offer.remaining,
        groupMin: offer.group_min,
        status: offerStatus(offer),
      }),
    );
  }
}

/** Publishes events a crashed process left behind; returns how many. */
export async function sweepOutbox(
  db: Database,
  bus: RealtimeBus,
  olderThanMs: number,
): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db.transaction().execute(async (trx) => {
      const rows = await claimStaleOutbox(trx, olderThanMs, 500);
      for (const row of rows) publishRow(bus, row);
      await publishStockOf(trx, bus, rows);
      await deleteOutboxIn(
        trx,
        rows.map((r) => r.id),
      );
      return rows.length;
    });
    total += n;
    if (n < 500) return total;
  }
}
