import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { WaitlistEntryRow } from '../../db/waitlist.schema';
import {
  findOfferForOrder,
  findOrderByIdempotencyKey,
} from '../../db/repositories/order.repository';
import { insertOutbox, type OutboxRow } from '../../db/repositories/outbox.repository';
import {
  findOfferedEntry,
  joinWaitlist as joinLine,
  leaveLine,
  listDueReservations,
  listUserEntries,
  releaseReservation,
  reserveForWaitlist,
  type WaitlistEntryWithPosition,
} from '../../db/repositories/waitlist.repository';
import type { NoticeWithLocale } from '../../db/repositories/notification.repository';
import type { AppDeps } from '../context';
import { AppError } from '../errors';
import type { Order } from '../contracts/order';
import { offerUpdate } from '../contracts/realtime';
import type { ClaimWaitlistBody, WaitlistEntry } from '../contracts/waitlist';
import { scheduleWaitlistExpiry } from '../jobs/waitlist-expiry';
import { offerStatus, whyClosed } from '../rules/offer';
import type { User } from './auth.service';
import { placeOrder } from './order.service';
import { publishCommitted, toOutbox } from './outbox.service';
import { announce, notify } from './notification.service';
import { stockGateFor } from './stock-gate.service';

// Waitlists for sold-out offers (issue 17.4, SPEC journey 14). A resident joins the line of
// a sold-out offer. Whenever units come back (a cancel, a refund before pickup, a raised
// quantity, a held unit let go), the transaction that returns them hands them to the line
// first (handToLine): one unit each to the first in line, held for WAITLIST_HOLD_SECONDS,
// told privately (`waitlist:offer`, through the outbox). The resident confirms with an order
// of that unit (claimWaitlist: placeOrder, every rule of the order sheet). A hold that runs
// out passes to the next (a pg-boss job per hold, and the commerce sweep behind it).

type Deps = Pick<AppDeps, 'config' | 'db' | 'realtime' | 'logger'>;

export function entryRowToEntry(
  row: WaitlistEntryRow & { position?: number | null },
): WaitlistEntry {
  return {
    offerId: row.offer_id,
    state: row.state,
    position: row.position ?? null,
    expiresAt: row.state === 'offered' ? (row.expires_at?.toISOString() ?? null) : null,
    orderId: row.order_id,
  };
}

export interface Handed {
  /** the offer's stock once the line has had its units */
  remaining: number;
  quantity: number;
  group_min: number | null;
  group_reached_at: Date | null;
  /** the `waitlist:offer` notices, written to the outbox */
  outbox: OutboxRow[];
  /** holds to schedule the end of, after commit (scheduleHolds) */
  holds: { id: string; expiresAt: Date }[];
  /** the residents' notices of their holds (the bell, email), announced by scheduleHolds */
  notices: NoticeWithLocale[];
}

/**
 * Inside a transaction that has just put units back in the offer's `remaining`: the first
 * in its line get them, one each. Returns the stock as it is then, which is what the caller
 * announces (offer:update) and tells the stock gate.
 */
export async function handToLine(
  trx: Transaction<DB>,
  config: Deps['config'],
  offer: { offerId: string; streamId: string },
): Promise<Handed> {
  const reserved = await reserveForWaitlist(trx, offer.offerId, config.WAITLIST_HOLD_SECONDS);
  const holds = reserved.offered.map((e) => ({ id: e.id, expiresAt: e.expires_at ?? new Date() }));
  const outbox = holds.length
    ? await insertOutbox(
        trx,
        toOutbox(
          offer.streamId,
          reserved.offered.map((e) => ({
            event: 'waitlist:offer' as const,
            payload: {
              streamId: offer.streamId,
              offerId: offer.offerId,
              userId: e.user_id,
              productName: reserved.product_name,
              expiresAt: (e.expires_at ?? new Date()).toISOString(),
            },
          })),
        ),
      )
    : [];
  const notices = await notify(
    trx,
    config,
    reserved.offered.map((e) => ({
      user_id: e.user_id,
      kind: 'waitlist_offer' as const,
      stream_id: offer.streamId,
      data: { productName: reserved.product_name, expiresAt: e.expires_at?.toISOString() },
      dedupe_key: `waitlist:${e.id}`,
    })),
  );
  return { ...reserved, outbox, holds, notices };
}

/**
 * After commit: each new hold ends on time (a job; the sweep is the safety net), and its
 * resident's notice goes out.
 */
export async function scheduleHolds(deps: Deps, handed: Handed): Promise<void> {
  announce(deps, handed.notices);
  for (const hold of handed.holds) {
    await scheduleWaitlistExpiry(hold.id, hold.expiresAt).catch((err: unknown) =>
      deps.logger.error({ err, entryId: hold.id }, 'scheduling a waitlist hold failed'),
    );
  }
}

/** The resident's place in the offer's line (joining twice answers the same place). */
export async function joinWaitlist(
  deps: Deps,
  user: User,
  streamId: string,
  offerId: string,
): Promise<WaitlistEntry> {
  const { db } = deps;
  const offer = await findOfferForOrder(db, streamId, offerId);
  if (!offer) throw new AppError('not_found', 'No such offer in this stream.');
  const closed = whyClosed(offer, new Date());
  if (closed) throw new AppError(closed.code, closed.message);
  const joined = await db
    .transaction()
    .execute((trx) => joinLine(trx, { offerId, streamId, userId: user.id }));
  if (joined === 'no_offer') throw new AppError('not_found', 'No such offer in this stream.');
  if (joined === 'in_stock') {
    throw new AppError('in_stock', 'Still in stock: order it now instead of waiting.');
  }
  return myEntry(deps, user, streamId, offerId, joined);
}

async function myEntry(
  deps: Deps,
  user: User,
  streamId: string,
  offerId: string,
  fallback: WaitlistEntryRow,
): Promise<WaitlistEntry> {
  const mine = await listUserEntries(deps.db, streamId, user.id);
  return entryRowToEntry(mine.find((e) => e.offer_id === offerId) ?? fallback);
}

/** The signed-in resident's lines in a stream (the latest entry of each offer). */
export async function myWaitlist(deps: Deps, user: User, streamId: string) {
  const rows: WaitlistEntryWithPosition[] = await listUserEntries(deps.db, streamId, user.id);
  return rows.map(entryRowToEntry);
}

/**
 * The resident leaves the line. A unit held for them goes to the next in line at once.
 * Leaving a line one is not in is not an error (a second tap, another tab).
 */
export async function leaveWaitlist(
  deps: Deps,
  user: User,
  streamId: string,
  offerId: string,
): Promise<void> {
  const held = await findOfferedEntry(deps.db, offerId, user.id);
  if (held && held.stream_id === streamId) {
    await releaseHold(deps, held.id, { to: 'left', userId: user.id });
    return;
  }
  await deps.db.transaction().execute((trx) => leaveLine(trx, offerId, user.id));
}

/**
 * A hold ends (its time ran out, or its resident left): the unit goes back to the offer and
 * on to the next in line, or into `remaining` for anyone when the line is empty. Safe to
 * call any number of times, from any process: only the call that ends the hold acts.
 */
export async function releaseHold(
  deps: Deps,
  entryId: string,
  how: { to: 'expired' } | { to: 'left'; userId: string },
): Promise<boolean> {
  const result = await deps.db.transaction().execute(async (trx) => {
    const released = await releaseReservation(trx, entryId, how.to, {
      onlyIfDue: how.to === 'expired',
      ...(how.to === 'left' ? { userId: how.userId } : {}),
    });
    if (!released) return null;
    const handed = await handToLine(trx, deps.config, released);
    const stock = await insertOutbox(
      trx,
      toOutbox(released.streamId, [
        {
          event: 'offer:update',
          payload: offerUpdate({
            streamId: released.streamId,
            offerId: released.offerId,
            quantity: handed.quantity,
            remaining: handed.remaining,
            groupMin: handed.group_min,
            status: offerStatus(handed),
          }),
        },
      ]),
    );
    return { released, handed, outbox: [...handed.outbox, ...stock] };
  });
  if (!result) return false;
  const { released, handed, outbox } = result;
  // a unit nobody in line took is for sale again: the gate starts a new epoch with it
  if (handed.remaining > 0) await stockGateFor(deps).restocked(released.offerId, handed.remaining);
  publishCommitted(deps.db, deps.realtime, outbox, (err) =>
    deps.logger.error({ err }, 'outbox delete failed'),
  );
  await scheduleHolds(deps, handed);
  return true;
}

/** Ends every hold whose time has run out (the commerce sweep's safety net). */
export async function releaseDueHolds(deps: Deps): Promise<number> {
  let n = 0;
  for (const id of await listDueReservations(deps.db)) {
    if (await releaseHold(deps, id, { to: 'expired' })) n++;
  }
  return n;
}

/**
 * Confirms the unit held for the resident: an order of one unit through placeOrder (limits,
 * pickup, attribution, idempotency as on the order sheet), taken from the held units rather
 * than the offer's stock. A repeat under the same Idempotency-Key answers the first order.
 */
export async function claimWaitlist(
  deps: Deps,
  buyer: User,
  streamId: string,
  offerId: string,
  input: ClaimWaitlistBody & { visitorKey?: string | undefined },
  idempotencyKey?: string,
): Promise<{ order: Order; replayed: boolean }> {
  const held = await findOfferedEntry(deps.db, offerId, buyer.id);
  if (!held || held.stream_id !== streamId) {
    if (idempotencyKey) {
      const first = await findOrderByIdempotencyKey(deps.db, buyer.id, idempotencyKey);
      if (first && first.offer_id === offerId) {
        return placeOrder(
          deps,
          buyer,
          streamId,
          { ...input, offerId, quantity: 1 },
          idempotencyKey,
        );
      }
    }
    throw new AppError(
      'no_reservation',
      'No unit is held for you on this offer now: the hold may have run out and passed to the next in line.',
    );
  }
  return placeOrder(
    deps,
    buyer,
    streamId,
    { ...input, offerId, quantity: 1, waitlistEntryId: held.id },
    idempotencyKey,
  );
}
