import { describe, expect, it } from 'vitest';
import { DEV_LIVEKIT_KEY, DEV_LIVEKIT_SECRET, loadConfig } from './config';

describe('configuration', () => {
  it('has working defaults for development', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      NODE_ENV: 'development',
      LIVEKIT_API_KEY: DEV_LIVEKIT_KEY,
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('refuses production with the development LiveKit keys or without PostgreSQL', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/linli' }),
    ).toThrow(/development LiveKit key pair/);
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        LIVEKIT_API_KEY: 'prod',
        LIVEKIT_API_SECRET: 'p'.repeat(40),
      }),
    ).toThrow(/DATABASE_URL/);
    const ok = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/linli',
      LIVEKIT_API_KEY: 'prod',
      LIVEKIT_API_SECRET: 'p'.repeat(40),
    });
    expect(ok.LIVEKIT_API_SECRET).not.toBe(DEV_LIVEKIT_SECRET);
  });

  it('names every bad variable in one clear message', () => {
    expect(() =>
      loadConfig({ PORT: 'eighty', LIVEKIT_URL: 'http://x', LIVEKIT_API_SECRET: 'short' }),
    ).toThrow(
      /PORT[\s\S]*LIVEKIT_URL: must start with ws:\/\/[\s\S]*LIVEKIT_API_SECRET: must be at least 32/,
    );
  });
});
