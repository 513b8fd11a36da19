import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

// Ports are picked below Linux's ephemeral range (32768–60999 by default): a port the kernel
// handed out with listen(0) can be handed out again to any outgoing connection (PostgreSQL,
// Chromium, livekit-server) before our server binds it, and tests then fail on EADDRINUSE.
const LOW = 20_000;
const HIGH = 32_000;
const taken = new Set<number>();

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A TCP port free on 127.0.0.1 right now, so parallel test runs never collide. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (taken.has(port)) continue;
    if (await bindable(port)) {
      taken.add(port);
      return port;
    }
  }
  throw new Error(`no free port between ${LOW} and ${HIGH}`);
}

export async function freeLivekitPorts(): Promise<{
  http: number;
  rtcTcp: number;
  rtcUdp: number;
}> {
  // UDP and TCP share the number space closely enough on loopback for tests
  return { http: await freePort(), rtcTcp: await freePort(), rtcUdp: await freePort() };
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const socket = createSocket('udp4');
    socket.once('error', () => ok(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => ok(true)));
  });
}

/** For the app's own livekit-server (LIVEKIT_PORT): HTTP on it, RTC TCP +1 and UDP +2, all free. */
export async function freeLivekitPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await freePort();
    if ((await bindable(port + 1)) && (await udpFree(port + 2)) && (await bindable(port + 2))) {
      return port;
    }
  }
  throw new Error('no three consecutive free ports');
}
