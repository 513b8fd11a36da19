import {
  approvedLeaderIds,
  recordTrustDay,
  trustHistory,
  trustInputs,
} from '../../db/repositories/trust.repository';
import { findApprovedLeaderOfUser } from '../../db/repositories/pickup.repository';
import type { AppDeps } from '../context';
import { AppError } from '../errors';
import type { LeaderTrust } from '../contracts/trust';
import { dayIn, SHOP_TIME_ZONE } from '../rules/pickup';
import { GOLD_LEVEL, isGold, TRUST_WEIGHTS, TRUST_WINDOW_DAYS, trustIndex } from '../rules/trust';
import type { User } from './auth.service';
import { assertShopOwner } from './order-query.service';

// The leader trust index (issue 14.4): computed from the last 30 days (rules/trust.ts) when
// asked for and every hour by housekeeping, and kept day by day, so the leader centre shows
// its history and 金牌团长 is a month of days at the level.

type Deps = Pick<AppDeps, 'db'>;
const DAY_MS = 86_400_000;

const dayBefore = (now: Date, days: number) =>
  dayIn(new Date(now.getTime() - days * DAY_MS), SHOP_TIME_ZONE);

/** The index now for one leader, recorded as today's; with its history and honour. */
export async function trustOf(
  deps: Deps,
  leader: { id: string; shopId: string },
  now = new Date(),
): Promise<LeaderTrust> {
  const inputs = await trustInputs(
    deps.db,
    leader.id,
    new Date(now.getTime() - TRUST_WINDOW_DAYS * DAY_MS),
  );
  const index = trustIndex(inputs);
  await recordTrustDay(deps.db, {
    leader_id: leader.id,
    day: dayIn(now, SHOP_TIME_ZONE),
    score: index.score,
    ...index.parts,
  });
  const history = await trustHistory(deps.db, leader.id, dayBefore(now, 89));
  const byDay = new Map(history.map((h) => [h.day, h.score]));
  // a day nobody computed counts as below the level: gold needs every day of the window
  const window = Array.from(
    { length: TRUST_WINDOW_DAYS },
    (_, i) => byDay.get(dayBefore(now, TRUST_WINDOW_DAYS - 1 - i)) ?? 0,
  );
  return {
    leaderId: leader.id,
    shopId: leader.shopId,
    score: index.score,
    parts: index.parts,
    inputs,
    windowDays: TRUST_WINDOW_DAYS,
    weights: { ...TRUST_WEIGHTS },
    gold: isGold(window),
    goldLevel: GOLD_LEVEL,
    history,
  };
}

/** The signed-in leader's index in a shop they lead for. */
export async function myTrust(deps: Deps, user: User, shopId: string): Promise<LeaderTrust> {
  const leader = await findApprovedLeaderOfUser(deps.db, shopId, user.id);
  if (!leader) throw new AppError('not_found', 'You are not an approved leader of this shop.');
  return trustOf(deps, { id: leader.id, shopId });
}

/** Every approved leader's index in the owner's shop, for sorting the leader list. */
export async function shopTrust(deps: Deps, owner: User, shopId: string) {
  await assertShopOwner(deps.db, owner, shopId);
  const leaders = [];
  for (const id of await approvedLeaderIds(deps.db, shopId)) {
    const t = await trustOf(deps, { id, shopId });
    leaders.push({ leaderId: id, score: t.score, gold: t.gold });
  }
  return { leaders: leaders.sort((a, b) => b.score - a.score) };
}

/** Housekeeping, hourly: today's index for every approved leader (the history has no gaps). */
export async function recordTrustDays(deps: Deps, now = new Date()): Promise<number> {
  const ids = await approvedLeaderIds(deps.db);
  for (const id of ids) {
    const inputs = await trustInputs(
      deps.db,
      id,
      new Date(now.getTime() - TRUST_WINDOW_DAYS * DAY_MS),
    );
    const index = trustIndex(inputs);
    await recordTrustDay(deps.db, {
      leader_id: id,
      day: dayIn(now, SHOP_TIME_ZONE),
      score: index.score,
      ...index.parts,
    });
  }
  return ids.length;
}
