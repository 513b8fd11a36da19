import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { DEV_LIVEKIT_KEY, DEV_LIVEKIT_SECRET } from '../../server/config';
import {
  ensureLivekitBinary,
  startLivekit,
  type RunningLivekit,
} from '../../media/livekit-process';

/** Where tests may create and drop their own databases. */
export const ADMIN_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates an empty database for one test run; returns its URL and a dropper. */
export async function createTestDatabase(
  label: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `linli_${label}_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(ADMIN_DATABASE_URL, name),
    drop: async () => {
      const c = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

export function kyselyFor<DB>(url: string): Kysely<DB> {
  return new Kysely<DB>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 10 }) }),
  });
}

/** A real livekit-server on its own ports, so it never collides with a dev server. */
export async function startTestLivekit(
  ports: { http: number; rtcTcp: number; rtcUdp: number },
  webhookUrl?: string,
): Promise<RunningLivekit> {
  const binary = ensureLivekitBinary();
  return startLivekit({
    binary,
    ports,
    apiKey: DEV_LIVEKIT_KEY,
    apiSecret: DEV_LIVEKIT_SECRET,
    ...(webhookUrl ? { webhookUrl } : {}),
  });
}
