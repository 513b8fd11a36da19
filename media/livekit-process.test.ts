import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ensureLivekitBinary, livekitConfigBody, LivekitUnavailableError } from './livekit-process';

describe('the local livekit-server', () => {
  it('tells the newcomer the two other ways when there is neither a binary nor Go', () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'linli-cache-'));
    const previous = process.env.LIVEKIT_BIN;
    delete process.env.LIVEKIT_BIN;
    try {
      expect(() => ensureLivekitBinary({ cacheDir, searchPath: '', go: null })).toThrow(
        LivekitUnavailableError,
      );
      expect(() => ensureLivekitBinary({ cacheDir, searchPath: '', go: null })).toThrow(
        /docker compose.*livekit[\s\S]*release binary/,
      );
    } finally {
      if (previous !== undefined) process.env.LIVEKIT_BIN = previous;
    }
  });

  it('keeps the loopback settings of livekit.yaml and fills in ports, keys and the webhook', () => {
    const body = parse(
      livekitConfigBody({
        configPath: resolve('livekit.yaml'),
        ports: { http: 7990, rtcTcp: 7991, rtcUdp: 7992 },
        apiKey: 'k',
        apiSecret: 's'.repeat(32),
        webhookUrl: 'http://127.0.0.1:3000/api/livekit/webhook',
      }),
    );
    expect(body).toMatchObject({
      port: 7990,
      rtc: {
        tcp_port: 7991,
        udp_port: 7992,
        use_external_ip: false,
        node_ip: '127.0.0.1',
        enable_loopback_candidate: true,
        interfaces: { includes: ['lo'] },
        stun_servers: ['127.0.0.1:3478'],
      },
      keys: { k: 's'.repeat(32) },
      webhook: { api_key: 'k', urls: ['http://127.0.0.1:3000/api/livekit/webhook'] },
    });
  });
});
