import { z } from 'zod';

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
    TRUST_PROXY: booleanish.default(false),
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
    SEED_DEMO: booleanish.default(true),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    AUTH_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
    SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
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
  });

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
