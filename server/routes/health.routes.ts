import { createRoute } from '@hono/zod-openapi';
import { sql } from 'kysely';
import { createRouter, jsonContent, z } from '../openapi';

const Health = z
  .object({
    ok: z.boolean(),
    db: z.object({
      ok: z.boolean(),
      kind: z.enum(['postgres', 'pglite']),
      latencyMs: z.number().optional(),
    }),
    livekit: z.object({
      ok: z.boolean(),
      latencyMs: z.number().optional(),
      error: z.string().optional(),
    }),
  })
  .openapi('Health');

export function healthRoutes() {
  const router = createRouter();
  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['ops'],
      summary: 'Whether the database and the media server answer',
      responses: {
        200: jsonContent(Health, 'Everything answers'),
        503: jsonContent(Health, 'Something does not answer'),
      },
    }),
    async (c) => {
      const { db, dbKind, media } = c.var.deps;
      const started = performance.now();
      const [dbOk, livekit] = await Promise.all([
        sql`select 1`.execute(db).then(
          () => true,
          () => false,
        ),
        media.health(),
      ]);
      const body = {
        ok: dbOk && livekit.ok,
        db: { ok: dbOk, kind: dbKind, latencyMs: Math.round(performance.now() - started) },
        livekit,
      };
      return body.ok ? c.json(body, 200) : c.json(body, 503);
    },
  );
  return router;
}
