import { z } from 'zod';

/** Every error answer: `{ error: { code, message, issues? } }`; clients switch on `code`. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'validation_failed' }),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      /** limit_exceeded: the per-buyer limit and the units this buyer already holds. */
      limit: z.object({ perBuyer: z.number(), held: z.number() }).optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;
