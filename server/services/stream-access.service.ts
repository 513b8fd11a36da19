import type { Database } from '../../db/database';
import type { ShopRow, StreamRow } from '../../db/schema';
import { findShopById, findStream } from '../../db/repositories/stream.repository';
import type { AppDeps } from '../context';
import { AppError } from '../errors';
import { isUuid } from '../rules/ids';
import type { User } from './auth.service';

// Finding a stream and checking who may act on it: every stream service starts here.

export type StreamDeps = Pick<AppDeps, 'config' | 'db' | 'media' | 'realtime' | 'logger'>;

export async function loadStream(
  db: Database,
  streamId: string,
): Promise<{ stream: StreamRow; shop: ShopRow }> {
  const stream = isUuid(streamId) ? await findStream(db, streamId) : undefined;
  if (!stream) throw new AppError('not_found', 'No such stream.');
  const shop = await findShopById(db, stream.shop_id);
  if (!shop) throw new AppError('not_found', 'No such stream.');
  return { stream, shop };
}

/** The stream, when `user` owns its shop; 404 when there is no stream, 403 otherwise. */
export async function loadOwnedStream(
  db: Database,
  user: User,
  streamId: string,
): Promise<{ stream: StreamRow; shop: ShopRow }> {
  const found = await loadStream(db, streamId);
  if (found.shop.owner_id !== user.id) {
    throw new AppError('forbidden', 'Only the shop owner can do this.');
  }
  return found;
}
