import type { Database } from '../../db/database';
import { streamLeaderboard } from '../../db/repositories/leaderboard.repository';
import { findShopById, findStream } from '../../db/repositories/stream.repository';
import type { StreamLeaderboard } from '../contracts/leaderboard';
import { AppError } from '../errors';
import type { User } from './auth.service';

/** How many groups the board lists (the overlay shows the first few). */
export const LEADERBOARD_SIZE = 20;

/**
 * The stream's 团长榜, as its orders stand now (cancelled and refunded ones left out). When
 * the owner hid it, viewers learn only that; the owner still gets the leaders.
 */
export async function getStreamLeaderboard(
  db: Database,
  user: User | null,
  streamId: string,
): Promise<StreamLeaderboard> {
  const stream = await findStream(db, streamId);
  if (!stream) throw new AppError('not_found', 'No such stream.');
  if (stream.leaderboard_hidden) {
    const shop = await findShopById(db, stream.shop_id);
    if (!user || shop?.owner_id !== user.id) return { hidden: true, leaders: [] };
  }
  const rows = await streamLeaderboard(db, stream.id, LEADERBOARD_SIZE);
  return {
    hidden: stream.leaderboard_hidden,
    leaders: rows.map((r) => ({
      leaderId: r.leader_id,
      displayName: r.display_name,
      community: r.community,
      orders: r.orders,
      units: r.units,
    })),
  };
}
