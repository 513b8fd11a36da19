import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from './context';
import { errorStatus, type ErrorCode } from './errors';

export { z };

/** A sub-app whose validation failures render as our error shape. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const issues = result.error.issues.map((i) => ({
        path: [result.target, ...i.path.map(String)].join('.'),
        message: i.message,
      }));
      return c.json(
        {
          error: {
            code: 'validation_failed' as const,
            message: `Invalid ${result.target}: ${issues
              .slice(0, 3)
              .map((i) => `${i.path} ${i.message}`)
              .join('; ')}`,
            issues,
          },
        },
        400,
      );
    },
  });
}

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'validation_failed' }),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi('Error');

/** Documents the error answers a route can give, grouped by status. */
export function errors(...codes: ErrorCode[]) {
  const byStatus: Record<number, ErrorCode[]> = {};
  for (const code of codes) (byStatus[errorStatus[code]] ??= []).push(code);
  return Object.fromEntries(
    Object.entries(byStatus).map(([status, list]) => [
      status,
      {
        description: list.join(', '),
        content: { 'application/json': { schema: ErrorSchema } },
      },
    ]),
  );
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } } as const;
}

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } } as const;
}

export const UserSchema = z
  .object({
    id: z.string(),
    email: z.string().nullable(),
    name: z.string(),
    guest: z.boolean(),
  })
  .openapi('User');

export const UserEnvelope = z.object({ user: UserSchema });

/** Display names: trimmed, 1–40 characters, no control characters. */
export const displayName = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'must not contain control characters');
