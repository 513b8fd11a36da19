import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Database } from '../../db/database';
import {
  deleteExpiredSessions,
  deleteOldWebhookEvents,
  forgetOldIdempotencyKeys,
} from '../../db/repositories/housekeeping.repository';
import { deleteUnusedUploads, UNUSED_UPLOAD_DAYS } from '../services/upload.service';
import { recordTrustDays } from '../services/trust.service';

/**
 * How long the app keeps records that only exist to make something safe for a while. The
 * one place these retentions are stated.
 */
export const RETENTION = {
  /** sessions are deleted once expired (SESSION_DAYS after sign-in); no grace */
  expiredSessionsDays: 0,
  /** LiveKit retries a webhook for minutes; a week of ids is far beyond any retry */
  webhookEventDays: 7,
  /** a client may retry an order with its Idempotency-Key for a day; kept a week */
  idempotencyKeyDays: 7,
  /** a photo uploaded but never used as a cover, product picture or refund photo */
  unusedUploadDays: UNUSED_UPLOAD_DAYS,
} as const;

const QUEUE = 'housekeeping';
/** Every hour, at minute 17 (away from the top of the hour, when streams start). */
const CRON = '17 * * * *';

export interface HousekeepingResult {
  sessions: number;
  webhookEvents: number;
  idempotencyKeys: number;
  /** images deleted (0 when no data directory was given) */
  uploads: number;
}

/** What housekeeping runs against: the database, and the data directory of the uploads. */
export interface HousekeepingDeps {
  db: Database;
  logger: Logger;
  /** The app's config, for DATA_DIR; without it uploads are left alone. */
  config?: { DATA_DIR: string } | undefined;
}

/**
 * One pass: purges what has outlived its retention, and, given the data directory, the
 * uploads nothing uses. Safe to run twice, or concurrently.
 */
export async function runHousekeeping(
  db: Database,
  opts: { dataDir?: string | undefined } = {},
): Promise<HousekeepingResult> {
  return {
    sessions: await deleteExpiredSessions(db, RETENTION.expiredSessionsDays),
    webhookEvents: await deleteOldWebhookEvents(db, RETENTION.webhookEventDays),
    idempotencyKeys: await forgetOldIdempotencyKeys(db, RETENTION.idempotencyKeyDays),
    uploads: opts.dataDir
      ? await deleteUnusedUploads(db, opts.dataDir, RETENTION.unusedUploadDays)
      : 0,
  };
}

function logResult(logger: Logger, result: HousekeepingResult): void {
  if (result.sessions + result.webhookEvents + result.idempotencyKeys + result.uploads > 0) {
    logger.info(result, 'housekeeping: purged records past their retention');
  }
}

/**
 * On PostgreSQL: the queue and its hourly schedule (one run per hour across every process).
 * Part of pg-boss's setup, which two processes starting together may need to retry.
 */
export async function scheduleHousekeeping(boss: PgBoss): Promise<void> {
  await boss.createQueue(QUEUE, { name: QUEUE, policy: 'singleton' });
  await boss.schedule(QUEUE, CRON);
}

/** On PostgreSQL: this process takes its turn at the scheduled runs. */
export async function workHousekeeping(boss: PgBoss, deps: HousekeepingDeps): Promise<void> {
  await boss.work(QUEUE, async () => {
    logResult(deps.logger, await runHousekeeping(deps.db, { dataDir: deps.config?.DATA_DIR }));
    // and today's trust index of every leader, so its history has no gaps
    await recordTrustDays(deps);
  });
}

/** On PGlite (one process, no pg-boss): a timer, first a minute after start, then hourly. */
export function startHousekeepingTimer(deps: HousekeepingDeps): () => void {
  const run = () => {
    runHousekeeping(deps.db, { dataDir: deps.config?.DATA_DIR })
      .then((result) => logResult(deps.logger, result))
      .then(() => recordTrustDays(deps))
      .catch((err: unknown) => deps.logger.warn({ err }, 'housekeeping failed; retried next hour'));
  };
  const first = setTimeout(run, 60_000);
  const every = setInterval(run, 60 * 60_000);
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
