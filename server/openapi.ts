import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from './context';
import { ErrorBody } from './contracts/error';
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

/** Documents the error answers a route can give, grouped by status. */
export function errors(...codes: ErrorCode[]) {
  const byStatus: Record<number, ErrorCode[]> = {};
  for (const code of codes) (byStatus[errorStatus[code]] ??= []).push(code);
  return Object.fromEntries(
    Object.entries(byStatus).map(([status, list]) => [
      status,
      {
        description: list.join(', '),
        content: { 'application/json': { schema: ErrorBody } },
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
