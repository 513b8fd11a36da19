import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import {
  goLiveAudience,
  hasReminder,
  setReminder,
} from '../../db/repositories/notification.repository';
import type { AppDeps } from '../context';
import { AppError } from '../errors';
import type { User } from './auth.service';
import { notify } from './notification.service';

// 提醒我 (issue 14.6): a resident asks to hear when a scheduled stream goes live; when it
// does, they and the shop's members get the notice (once per stream, however often it
// resumes).

type Deps = Pick<AppDeps, 'config' | 'db' | 'realtime' | 'logger'>;

async function streamStatus(deps: Deps, streamId: string) {
  const row = await deps.db
    .selectFrom('streams')
    .select('status')
    .where('id', '=', streamId)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', 'No such stream.');
  return row.status;
}

export async function myReminder(deps: Deps, user: User, streamId: string): Promise<boolean> {
  await streamStatus(deps, streamId);
  return hasReminder(deps.db, streamId, user.id);
}

export async function remindMe(
  deps: Deps,
  user: User,
  streamId: string,
  on: boolean,
): Promise<boolean> {
  const status = await streamStatus(deps, streamId);
  if (on && status !== 'scheduled') {
    throw new AppError('stream_started', 'This stream is not scheduled any more: watch it now.');
  }
  await setReminder(deps.db, streamId, user.id, on);
  return on;
}

/** In the transaction that put the stream on air: its notices. */
export async function noticesOfGoLive(
  trx: Transaction<DB>,
  config: Deps['config'],
  stream: { id: string; title: string; shopName: string },
) {
  const audience = await goLiveAudience(trx, stream.id);
  return notify(
    trx,
    config,
    audience.map((userId) => ({
      user_id: userId,
      kind: 'stream_live' as const,
      stream_id: stream.id,
      data: { streamTitle: stream.title, shopName: stream.shopName },
      dedupe_key: `live:${stream.id}:${userId}`,
    })),
  );
}
