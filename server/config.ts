import { z } from 'zod';
import { parseTrustProxy } from './http/client-ip';

/** The development key pair from livekit.yaml. Production refuses to run with it. */
export const DEV_LIVEKIT_KEY = 'linli-dev-key';
export const DEV_LIVEKIT_SECRET = 'linli-dev-secret-change-me-0123456789abcdef';

const booleanish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    /** Public origin, e.g. https://live.example.com. Unset: derived from each request. */
    ORIGIN: z.url().optional(),
    /**
     * Proxies in front of the app whose X-Forwarded-For entries are believed: a number of
     * hops (0 = none; `true`/`false` mean 1/0), or their addresses/CIDRs, comma-separated.
     * See server/http/client-ip.ts.
     */
    TRUST_PROXY: z
      .string()
      .default('0')
      .transform((value, ctx) => {
        try {
          return parseTrustProxy(value);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
          return z.NEVER;
        }
      }),
    DATABASE_URL: z.string().startsWith('postgres').optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    REDIS_URL: z.string().startsWith('redis').optional(),
    LIVEKIT_URL: z
      .string()
      .regex(/^wss?:\/\//, 'must start with ws:// or wss://')
      .optional(),
    /** The LiveKit URL handed to browsers, when it differs from LIVEKIT_URL. */
    LIVEKIT_PUBLIC_URL: z
      .string()
      .regex(/^wss?:\/\//, 'must start with ws:// or wss://')
      .optional(),
    /** The embedded livekit-server's HTTP port (unset LIVEKIT_URL); RTC TCP is +1, UDP +2. */
    LIVEKIT_PORT: z.coerce.number().int().min(1).max(65533).default(7880),
    LIVEKIT_API_KEY: z.string().min(1).default(DEV_LIVEKIT_KEY),
    LIVEKIT_API_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters')
      .default(DEV_LIVEKIT_SECRET),
    LINLI_CACHE_DIR: z.string().optional(),
    /** Seed the demo shop into an empty database. Default: on, except in production. */
    SEED_DEMO: booleanish.optional(),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    // Abuse limits (server/http/limits.ts). Login failures are counted per account and
    // address, per account and per address; at the limit the key is blocked for
    // LOGIN_BLOCK_MINUTES and even the right password is refused until then.
    LOGIN_FAILURES_PER_ACCOUNT_AND_IP: z.coerce.number().int().min(1).default(5),
    LOGIN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
    LOGIN_FAILURES_PER_IP_PER_DAY: z.coerce.number().int().min(1).default(100),
    LOGIN_BLOCK_MINUTES: z.coerce.number().int().min(1).default(15),
    SIGNUPS_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(20),
    /** Generous: a whole building behind one address joins a flash sale as guests. */
    GUESTS_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(120),
    /** Per visitor cookie (one phone or browser). */
    GUESTS_PER_DEVICE_PER_HOUR: z.coerce.number().int().min(1).default(5),
    /** Order attempts per account per minute (a person taps a few times; a script many more). */
    ORDERS_PER_BUYER_PER_MINUTE: z.coerce.number().int().min(1).default(20),
    /** How long a unit returned to a sold-out offer is held for the first in its waitlist. */
    WAITLIST_HOLD_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 3600)
      .default(600),
    /**
     * Outgoing mail for notices (smtp://user:pass@host:port or smtps://…). Unset: notices stay
     * in the app (the bell) alone.
     */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
      .optional(),
    MAIL_FROM: z.string().min(3).default('邻里直播 <no-reply@linli.local>'),
    SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    if (env.SEED_DEMO === true) {
      ctx.addIssue({
        code: 'custom',
        path: ['SEED_DEMO'],
        message:
          "production refuses the demo shop: its owner's password is public (README); unset SEED_DEMO or set it to false",
      });
    }
    if (env.LIVEKIT_API_KEY === DEV_LIVEKIT_KEY || env.LIVEKIT_API_SECRET === DEV_LIVEKIT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['LIVEKIT_API_SECRET'],
        message:
          'production refuses the development LiveKit key pair; set LIVEKIT_API_KEY and LIVEKIT_API_SECRET',
      });
    }
    if (!env.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message: 'production needs PostgreSQL; the embedded database is for development only',
      });
    }
  })
  .transform((env) => ({ ...env, SEED_DEMO: env.SEED_DEMO ?? env.NODE_ENV !== 'production' }));

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment once at start; throws a readable ConfigError. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  );
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.') || 'env'}: ${i.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}\nSee .env.example.`);
}
