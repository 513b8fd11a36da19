import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { namingPool } from '../../db/named-statements';
import { DEV_LIVEKIT_KEY, DEV_LIVEKIT_SECRET } from '../../server/config';
import {
  ensureLivekitBinary,
  startLivekit,
  type RunningLivekit,
} from '../../media/livekit-process';
import { ensureEgressBinary, startEgress, startMediaRedis } from '../../media/egress-process';
import { freePort } from './ports';

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
    // as the app opens it (db/database.ts): the hot queries as named statements
    dialect: new PostgresDialect({
      pool: namingPool(new pg.Pool({ connectionString: url, max: 10 })),
    }),
  });
}

/** A real livekit-server on its own ports, so it never collides with a dev server. */
export async function startTestLivekit(
  ports: { http: number; rtcTcp: number; rtcUdp: number },
  webhookUrl?: string,
  redisAddress?: string,
): Promise<RunningLivekit> {
  const binary = ensureLivekitBinary();
  return startLivekit({
    binary,
    ports,
    apiKey: DEV_LIVEKIT_KEY,
    apiSecret: DEV_LIVEKIT_SECRET,
    ...(webhookUrl ? { webhookUrl } : {}),
    ...(redisAddress ? { redisAddress } : {}),
  });
}

/**
 * The recorder as `npm start` runs it: a private Redis for one livekit-server, and LiveKit
 * Egress beside it (started with `attach` once livekit-server is up).
 */
export async function startTestRecorder(): Promise<{
  redisAddress: string;
  attach(livekitUrl: string): Promise<void>;
  /** The egress taking recordings now (another once one shut down by itself), and how many replaced one. */
  egress(): { pid: number; replacements: number };
  stop(): Promise<void>;
}> {
  const redis = await startMediaRedis(await freePort());
  let egress: Awaited<ReturnType<typeof startEgress>> | undefined;
  return {
    redisAddress: redis.address,
    egress() {
      if (!egress?.process.pid) throw new Error('egress is not attached');
      return { pid: egress.process.pid, replacements: egress.replacements };
    },
    async attach(livekitUrl) {
      egress = await startEgress({
        binary: ensureEgressBinary(),
        configDir: join(tmpdir(), 'linli-test-egress'),
        apiKey: DEV_LIVEKIT_KEY,
        apiSecret: DEV_LIVEKIT_SECRET,
        wsUrl: livekitUrl,
        redisAddress: redis.address,
        healthPort: await freePort(),
        ...(process.env.EGRESS_LOG
          ? { log: (line: string) => console.log(`[egress] ${line}`) }
          : {}),
      });
    },
    async stop() {
      await egress?.stop();
      await redis.stop();
    },
  };
}
