import type { Database } from '../database';
import { prepared } from '../prepared';
import type { SessionRow, UserRow } from '../schema';

export async function insertSession(
  db: Database,
  session: { id: string; userId: string; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ id: session.id, user_id: session.userId, expires_at: session.expiresAt })
    .execute();
}

/** Every request with a session cookie the cache has not seen lately: compiled once. */
const sessionWithUserQuery = prepared((db, a: { id: string }) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id',
      'sessions.user_id',
      'sessions.expires_at',
      'sessions.created_at as session_created_at',
      'users.id',
      'users.email',
      'users.name',
      'users.password_hash',
      'users.is_guest',
      'users.locale',
      'users.created_at',
    ])
    .where('sessions.id', '=', a.id),
);

export async function findSessionWithUser(
  db: Database,
  id: string,
): Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const [row] = await sessionWithUserQuery(db, { id });
  if (!row) return undefined;
  return {
    session: {
      id: row.session_id,
      user_id: row.user_id,
      expires_at: row.expires_at,
      created_at: row.session_created_at,
    },
    user: {
      id: row.id,
      email: row.email,
      name: row.name,
      password_hash: row.password_hash,
      is_guest: row.is_guest,
      locale: row.locale,
      created_at: row.created_at,
    },
  };
}

export async function extendSession(db: Database, id: string, expiresAt: Date): Promise<void> {
  await db.updateTable('sessions').set({ expires_at: expiresAt }).where('id', '=', id).execute();
}

export async function deleteSession(db: Database, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteExpiredSessions(db: Database, now: Date): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
