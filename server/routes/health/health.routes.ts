import { createRoute } from '@hono/zod-openapi';
import { sql } from 'kysely';
import { Health } from '../../contracts/health';
import { createRouter, jsonContent } from '../../openapi';

/** How long the database may take to answer `select 1` before it counts as down. */
const DB_CHECK_MS = 2000;

/** Whether `check` settles successfully within `ms`. */
async function answersWithin(check: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((ok) => (timer = setTimeout(() => ok(false), ms)));
  try {
    return await Promise.race([
      check.then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes() {
  const router = createRouter();
  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['ops'],
      summary: 'Whether the database and the media server answer',
      description:
        '200 while the database answers, with `status` "ok", or "degraded" when the media server does not (live video is out, orders and comments still work); 503 with `status` "down" when the database does not answer.',
      responses: {
        200: jsonContent(Health, 'The database answers; the media server may not (degraded)'),
        503: jsonContent(Health, 'The database does not answer'),
      },
    }),
    async (c) => {
      const { db, dbKind, media } = c.var.deps;
      const started = performance.now();
      // Both checks are bounded (media.health() by itself), so health always answers.
      const [dbOk, livekit] = await Promise.all([
        answersWithin(sql`select 1`.execute(db), DB_CHECK_MS),
        media.health(),
      ]);
      const body = {
        status: !dbOk ? ('down' as const) : livekit.ok ? ('ok' as const) : ('degraded' as const),
        ok: dbOk && livekit.ok,
        db: { ok: dbOk, kind: dbKind, latencyMs: Math.round(performance.now() - started) },
        livekit,
      };
      return dbOk ? c.json(body, 200) : c.json(body, 503);
    },
  );
  return router;
}
