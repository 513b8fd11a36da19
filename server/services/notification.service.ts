import { randomUUID } from 'node:crypto';
import { createTransport, type Transporter } from 'nodemailer';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { NotificationRow } from '../../db/notifications.schema';
import {
  claimPendingEmails,
  insertNotices,
  listNotices,
  markNoticesRead,
  recordEmail,
  unreadCount,
  type NewNotice,
  type NoticeWithLocale,
} from '../../db/repositories/notification.repository';
import type { AppDeps } from '../context';
import type { Leader } from '../contracts/leader';
import type { Notification } from '../contracts/notification';
import { noticeText } from '../rules/notices';
import type { User } from './auth.service';

// Notices that reach people (issue 14.6). The change that is news writes its notices in its
// own transaction (notify), one per event and recipient, so a repeat of the event (a retried
// job, a second process) adds none. After commit (announce) each recipient's open pages hear
// of it at once over socket.io (the /me namespace), and the email channel is kicked; email
// still pending after a crash goes out with the next sweep (deliverEmails), each notice once
// (its row is locked while it is mailed, then marked). Channels plug in beside email here;
// an SMS or WeChat subscribe-message channel would be one more `deliver…` of the same shape.

type Deps = Pick<AppDeps, 'config' | 'db' | 'realtime' | 'logger'>;

/** How many times an email is tried before it is given up as failed. */
const EMAIL_ATTEMPTS = 5;

export function toNotification(row: NotificationRow, locale: string | null): Notification {
  const text = noticeText(row.kind, row.data, row.stream_id, locale);
  return {
    id: row.id,
    kind: row.kind,
    ...text,
    createdAt: row.created_at.toISOString(),
    read: row.read_at !== null,
  };
}

/** Inside the change's transaction: the notices it makes (repeats are dropped). */
export function notify(
  trx: Transaction<DB>,
  config: Deps['config'],
  notices: readonly NewNotice[],
): Promise<NoticeWithLocale[]> {
  return insertNotices(trx, notices, config.SMTP_URL !== undefined);
}

/** After commit: each recipient's pages hear of their notice, and mail goes out. */
export function announce(deps: Deps, written: readonly NoticeWithLocale[]): void {
  if (written.length === 0) return;
  void (async () => {
    for (const row of written) {
      const unread = await unreadCount(deps.db, row.user_id);
      deps.realtime.notifyUser(row.user_id, {
        notification: toNotification(row, row.locale),
        unread,
      });
    }
    if (written.some((r) => r.email_state === 'pending')) await deliverEmails(deps);
  })().catch((err: unknown) => deps.logger.error({ err }, 'announcing notices failed'));
}

/** The bell: the latest notices, and how many are unread. */
export async function myNotifications(deps: Deps, user: User) {
  const [rows, unread] = await Promise.all([
    listNotices(deps.db, user.id),
    unreadCount(deps.db, user.id),
  ]);
  const locale = await userLocale(deps, user.id);
  return { notifications: rows.map((r) => toNotification(r, locale)), unread };
}

async function userLocale(deps: Deps, userId: string): Promise<string | null> {
  const row = await deps.db
    .selectFrom('users')
    .select('locale')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.locale ?? null;
}

export async function markRead(deps: Deps, user: User, ids?: string[]): Promise<void> {
  await markNoticesRead(deps.db, user.id, ids);
}

/** A path of this app as a mail can carry it: absolute when the public ORIGIN is known. */
function linkTo(config: Deps['config'], path: string): string {
  return config.ORIGIN ? new URL(path, config.ORIGIN).href : path;
}

const transports = new Map<string, Transporter>();
function mailer(url: string): Transporter {
  let t = transports.get(url);
  if (!t) {
    t = createTransport(url);
    transports.set(url, t);
  }
  return t;
}

let delivering: Promise<number> | null = null;

/**
 * Mails every notice whose email is pending (a batch at a time; one run per process at
 * once, a kick during a run is answered by it). Returns how many went out.
 */
export function deliverEmails(deps: Deps): Promise<number> {
  const url = deps.config.SMTP_URL;
  if (!url) return Promise.resolve(0);
  delivering ??= (async () => {
    let sent = 0;
    try {
      for (;;) {
        const n = await deps.db.transaction().execute(async (trx) => {
          const due = await claimPendingEmails(trx, 20);
          for (const row of due) {
            const text = noticeText(row.kind, row.data, row.stream_id, row.locale);
            try {
              await mailer(url).sendMail({
                from: deps.config.MAIL_FROM,
                to: row.email,
                subject: text.title,
                text: text.url ? `${text.body}\n\n${linkTo(deps.config, text.url)}` : text.body,
                headers: { 'X-Linli-Notice': row.id },
              });
              await recordEmail(trx, row.id, 'sent');
              sent++;
            } catch (err) {
              deps.logger.warn({ err, notice: row.id }, 'a notice could not be mailed');
              await recordEmail(
                trx,
                row.id,
                row.email_attempts + 1 >= EMAIL_ATTEMPTS ? 'failed' : 'retry',
              );
            }
          }
          return due.length;
        });
        if (n < 20) return sent;
      }
    } finally {
      delivering = null;
    }
  })();
  return delivering;
}

/**
 * An owner's decision on a leader, and the applicant's notice of it, in one transaction: the
 * notice is written exactly when the decision is (a refused or repeated decision changes no
 * row and writes none), then announced after commit. Suspensions are not told here.
 */
export async function decideLeaderWithNotice(
  deps: Deps,
  decide: (db: Transaction<DB>) => Promise<Leader>,
): Promise<Leader> {
  const { leader, written } = await deps.db.transaction().execute(async (trx) => {
    const leader = await decide(trx);
    if (leader.status !== 'approved' && leader.status !== 'declined') {
      return { leader, written: [] };
    }
    const shop = await trx
      .selectFrom('shops')
      .select('name')
      .where('id', '=', leader.shopId)
      .executeTakeFirst();
    const written = await notify(trx, deps.config, [
      {
        user_id: leader.userId,
        kind: 'leader_decided',
        stream_id: null,
        data: { shopName: shop?.name ?? '', approved: leader.status === 'approved' },
        // one per decision: the transition that made it commits with this row
        dedupe_key: `leader:${leader.id}:${leader.status}:${randomUUID()}`,
      },
    ]);
    return { leader, written };
  });
  announce(deps, written);
  return leader;
}
