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

  it('seeds the demo outside production only, and refuses SEED_DEMO=true in production', () => {
    expect(loadConfig({}).SEED_DEMO).toBe(true);
    expect(loadConfig({ SEED_DEMO: 'false' }).SEED_DEMO).toBe(false);
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/linli',
      LIVEKIT_API_KEY: 'prod',
      LIVEKIT_API_SECRET: 'p'.repeat(40),
    };
    expect(loadConfig(production).SEED_DEMO).toBe(false);
    expect(loadConfig({ ...production, SEED_DEMO: 'false' }).SEED_DEMO).toBe(false);
    expect(() => loadConfig({ ...production, SEED_DEMO: 'true' })).toThrow(
      /SEED_DEMO: production refuses the demo shop/,
    );
  });

  it('reads TRUST_PROXY as hops, booleans or a list of proxies', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toEqual({ hops: 1 });
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toEqual({ hops: 2 });
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8,127.0.0.1' }).TRUST_PROXY).toMatchObject({
      list: ['10.0.0.0/8', '127.0.0.1'],
    });
    expect(() => loadConfig({ TRUST_PROXY: 'nginx' })).toThrow(/TRUST_PROXY: "nginx"/);
  });

  it('names every bad variable in one clear message', () => {
    expect(() =>
      loadConfig({ PORT: 'eighty', LIVEKIT_URL: 'http://x', LIVEKIT_API_SECRET: 'short' }),
    ).toThrow(
      /PORT[\s\S]*LIVEKIT_URL: must start with ws:\/\/[\s\S]*LIVEKIT_API_SECRET: must be at least 32/,
    );
  });
});
