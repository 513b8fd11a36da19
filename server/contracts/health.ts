import { z } from 'zod';

export const Health = z
  .object({
    /**
     * ok: everything answers. degraded: the database answers but the media server does not
     * (orders, comments and pages still work; live video does not). down: no database.
     */
    status: z.enum(['ok', 'degraded', 'down']),
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
  .meta({ id: 'Health' });
export type Health = z.infer<typeof Health>;
