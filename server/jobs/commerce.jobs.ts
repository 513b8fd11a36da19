import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Database } from '../../db/database';
import { listOverdueGroupOffers } from '../../db/repositories/order.repository';
import type { RealtimeBus } from '../realtime/bus';
import { failGroupIfUnreached } from '../services/order.service';
import { sweepOutbox } from '../services/outbox.service';
import { deliverEmails } from '../services/notification.service';
import { releaseDueHolds, releaseHold } from '../services/waitlist.service';
import { setWaitlistExpiryScheduler } from './waitlist-expiry';
import {
  scheduleHousekeeping,
  startHousekeepingTimer,
  workHousekeeping,
} from './housekeeping.jobs';

const GROUP_DEADLINE_QUEUE = 'group-deadline';
const WAITLIST_EXPIRY_QUEUE = 'waitlist-expiry';

export interface CommerceJobDeps {
  config: Config;
  db: Database;
  realtime: RealtimeBus;
  logger: Logger;
  /** PostgreSQL: deadlines go to pg-boss. Unset (PGlite): in-process timers. */
  databaseUrl?: string | undefined;
}

type Scheduler = (key: string, at: Date) => Promise<void>;
let scheduler: Scheduler | null = null;

/**
 * Schedules the deadline of a group offer. Without running jobs (tests that build only the
 * app) this does nothing and the periodic sweep of overdue groups is the only safety net.
 */
export async function scheduleGroupDeadline(offerId: string, deadline: Date): Promise<void> {
  await scheduler?.(offerId, deadline);
}

/**
 * Background work of the commerce capability:
 * - group deadlines on pg-boss (jobs live in PostgreSQL, so a restart loses none), one
 *   job per offer (singleton key), handled by the idempotent failGroupIfUnreached;
 * - the end of each unit held for a waitlist, the same way (one job per hold, handled by
 *   the idempotent releaseHold);
 * - a sweep every few seconds that fails any overdue group and ends any due hold the queue
 *   missed (rows written before the queue existed, PGlite), publishes outbox events a
 *   crash left behind and mails notices still pending;
 * - hourly housekeeping (housekeeping.jobs.ts).
 * While the database is unreachable the sweep and pg-boss log their errors and keep
 * polling, so both resume by themselves when it is back.
 */
export async function startCommerceJobs(
  deps: CommerceJobDeps,
  opts: { sweepEveryMs?: number; firstSweepAfterMs?: number } = {},
): Promise<{ stop(): Promise<void> }> {
  const { logger } = deps;
  const sweepEveryMs = opts.sweepEveryMs ?? 5_000;

  const failGroup = async (offerId: string) => {
    const result = await failGroupIfUnreached(deps, offerId);
    if (result)
      logger.info({ offerId, cancelled: result.cancelled }, 'group buy failed at deadline');
  };

  const sweep = async (outboxOlderThanMs: number) => {
    const published = await sweepOutbox(deps.db, deps.realtime, outboxOlderThanMs);
    if (published) logger.info({ published }, 'published outbox events left by a crash');
    for (const offerId of await listOverdueGroupOffers(deps.db)) await failGroup(offerId);
    const released = await releaseDueHolds(deps);
    if (released) logger.info({ released }, 'passed on waitlist holds the queue missed');
    // email of notices a crash (or an SMTP outage) left pending
    const mailed = await deliverEmails(deps);
    if (mailed) logger.info({ mailed }, 'mailed notices that were pending');
  };

  const endHold = async (entryId: string) => {
    if (await releaseHold(deps, entryId, { to: 'expired' })) {
      logger.info({ entryId }, 'a waitlist hold ran out and passed on');
    }
  };

  let boss: PgBoss | null = null;
  let stopHousekeeping = (): void => undefined;
  const timers = new Map<string, NodeJS.Timeout>();
  /** PGlite: one in-process timer per key (the sweep catches what a restart loses). */
  const timerScheduler =
    (queue: string, run: (key: string) => Promise<void>): Scheduler =>
    (key, at) => {
      const id = `${queue}:${key}`;
      clearTimeout(timers.get(id));
      // setTimeout holds at most ~24.8 days; the sweep catches anything later
      const ms = Math.min(Math.max(0, at.getTime() - Date.now()), 2 ** 31 - 1);
      timers.set(
        id,
        setTimeout(() => {
          timers.delete(id);
          run(key).catch((err: unknown) => logger.error({ err, queue }, 'scheduled job failed'));
        }, ms + 50),
      );
      return Promise.resolve();
    };
  if (deps.databaseUrl) {
    boss = await startBoss(deps.databaseUrl, logger);
    await boss.work<{ offerId: string }>(
      GROUP_DEADLINE_QUEUE,
      { pollingIntervalSeconds: 1 },
      async (jobs) => {
        for (const job of jobs) await failGroup(job.data.offerId);
      },
    );
    await boss.work<{ entryId: string }>(
      WAITLIST_EXPIRY_QUEUE,
      { pollingIntervalSeconds: 1 },
      async (jobs) => {
        for (const job of jobs) await endHold(job.data.entryId);
      },
    );
    await workHousekeeping(boss, deps);
    const b = boss;
    scheduler = async (offerId, deadline) => {
      await b.send(
        GROUP_DEADLINE_QUEUE,
        { offerId },
        { startAfter: deadline, singletonKey: offerId },
      );
    };
    setWaitlistExpiryScheduler(async (entryId, at) => {
      await b.send(WAITLIST_EXPIRY_QUEUE, { entryId }, { startAfter: at, singletonKey: entryId });
    });
  } else {
    stopHousekeeping = startHousekeepingTimer(deps);
    scheduler = timerScheduler(GROUP_DEADLINE_QUEUE, failGroup);
    setWaitlistExpiryScheduler(timerScheduler(WAITLIST_EXPIRY_QUEUE, endHold));
  }

  // The first sweep waits a moment so clients reconnecting after a restart are back in
  // their rooms; at start every outbox row is a crash's leftover (or another live node's,
  // which only repeats an event).
  const run = (olderThanMs: number) => {
    sweep(olderThanMs).catch((err: unknown) => logger.error({ err }, 'commerce sweep failed'));
  };
  const first = setTimeout(() => run(0), opts.firstSweepAfterMs ?? 2_000);
  const interval = setInterval(() => run(3_000), sweepEveryMs);

  return {
    async stop() {
      clearTimeout(first);
      clearInterval(interval);
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      scheduler = null;
      setWaitlistExpiryScheduler(null);
      stopHousekeeping();
      // a deadline job being applied finishes (it is idempotent anyway, and retried if cut)
      await boss?.stop({ graceful: true, wait: true, timeout: 5_000 });
    },
  };
}

/** pg-boss started with its queues and the housekeeping schedule. */
async function startBoss(databaseUrl: string, logger: CommerceJobDeps['logger']): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: databaseUrl, max: 4 });
  boss.on('error', (err) => logger.error({ err }, 'pg-boss error'));
  // Two processes starting together can deadlock in pg-boss's own setup; retry it.
  for (let attempt = 1; ; attempt += 1) {
    try {
      await boss.start();
      for (const name of [GROUP_DEADLINE_QUEUE, WAITLIST_EXPIRY_QUEUE]) {
        await boss.createQueue(name, { name, policy: 'short' });
      }
      await scheduleHousekeeping(boss);
      return boss;
    } catch (err) {
      const deadlock =
        typeof err === 'object' && err !== null && 'code' in err && err.code === '40P01';
      if (!deadlock || attempt >= 5) throw err;
      logger.warn({ attempt }, 'pg-boss setup deadlocked with another process; retrying');
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 400));
    }
  }
}
