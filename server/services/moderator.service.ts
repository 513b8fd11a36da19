import type { Database } from '../../db/database';
import {
  deleteShopModerator,
  findUserForModeration,
  insertShopModerator,
  listOpenStreamIds,
  listShopModerators,
  type ModeratorRow,
} from '../../db/repositories/moderator.repository';
import { findShopById } from '../../db/repositories/shop.repository';
import type { AppDeps } from '../context';
import type { Moderator } from '../contracts/moderation';
import { AppError } from '../errors';
import type { User } from './auth.service';

// The owner appoints and dismisses a shop's moderators. What a moderator may then do is
// decided where it is done (comment.service.ts streamRole), from this record.

type ModeratorDeps = Pick<AppDeps, 'db' | 'realtime'>;

function toModerator(row: ModeratorRow): Moderator {
  return { userId: row.userId, name: row.name, appointedAt: row.appointedAt.toISOString() };
}

async function ownedShop(db: Database, user: User, shopId: string) {
  const shop = await findShopById(db, shopId);
  if (!shop) throw new AppError('not_found', 'No such shop.');
  if (shop.owner_id !== user.id) {
    throw new AppError('forbidden', "Only the shop owner manages the shop's moderators.");
  }
  return shop;
}

/** Tells the rooms of the shop's open streams, so that person's page follows at once. */
async function announce(deps: ModeratorDeps, shopId: string, userId: string, moderator: boolean) {
  for (const streamId of await listOpenStreamIds(deps.db, shopId)) {
    deps.realtime.publish(streamId, 'moderator:changed', { streamId, userId, moderator });
  }
}

export async function listModerators(db: Database, user: User, shopId: string) {
  await ownedShop(db, user, shopId);
  return (await listShopModerators(db, shopId)).map(toModerator);
}

export async function appointModerator(
  deps: ModeratorDeps,
  user: User,
  shopId: string,
  userId: string,
): Promise<Moderator> {
  const shop = await ownedShop(deps.db, user, shopId);
  if (userId === shop.owner_id) {
    throw new AppError('bad_request', 'The owner already moderates every stream of the shop.');
  }
  const target = await findUserForModeration(deps.db, userId);
  if (!target) throw new AppError('not_found', 'No such user.');
  if (target.guest) {
    throw new AppError(
      'bad_request',
      'A guest cannot be a moderator: they need an account (sign up) first.',
    );
  }
  await insertShopModerator(deps.db, { shopId: shop.id, userId, appointedBy: user.id });
  await announce(deps, shop.id, userId, true);
  const row = (await listShopModerators(deps.db, shop.id)).find((m) => m.userId === userId);
  if (!row) throw new AppError('not_found', 'No such user.');
  return toModerator(row);
}

export async function dismissModerator(
  deps: ModeratorDeps,
  user: User,
  shopId: string,
  userId: string,
): Promise<void> {
  const shop = await ownedShop(deps.db, user, shopId);
  if (!(await deleteShopModerator(deps.db, shop.id, userId))) {
    throw new AppError('not_found', 'This user is not a moderator of the shop.');
  }
  await announce(deps, shop.id, userId, false);
}
