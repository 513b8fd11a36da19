import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startSmtpServer } from '../helpers/smtp';
import { freeLivekitPorts, freePort } from './ports';
import { createTestDatabase, startTestLivekit, startTestRecorder } from './services';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** where the app's mail (the SMTP server it sends through) lands, one JSON file each */
    smtpDir: string;
  }
}

/**
 * The product as `npm start` runs it (built pages, API and socket.io on one port), against a
 * fresh PostgreSQL database and its own livekit-server.
 */
export default async function setup(project: TestProject) {
  if (!existsSync('web/build/handler.js')) {
    throw new Error(
      'web/build is missing: `npm test` builds it first; alone, run `npm run build`.',
    );
  }
  const PORT = Number(process.env.BROWSER_TEST_PORT ?? (await freePort()));
  const database = await createTestDatabase('browser');
  const smtpDir = mkdtempSync(join(tmpdir(), 'linli-smtp-'));
  const smtp = await startSmtpServer({ dir: smtpDir });
  const recorder = await startTestRecorder();
  const livekit = await startTestLivekit(
    await freeLivekitPorts(),
    `http://127.0.0.1:${PORT}/api/livekit/webhook`,
    recorder.redisAddress,
  );
  await recorder.attach(livekit.url);
  const output: string[] = [];
  const server: ChildProcess = spawn('node_modules/.bin/tsx', ['server/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(PORT),
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      LIVEKIT_URL: livekit.url,
      LOG_LEVEL: 'warn',
      GUESTS_PER_IP_PER_MINUTE: '1000',
      ORDERS_PER_BUYER_PER_MINUTE: '1000',
      GUESTS_PER_DEVICE_PER_HOUR: '1000',
      SIGNUPS_PER_IP_PER_HOUR: '1000',
      LOGIN_FAILURES_PER_IP_PER_DAY: '1000',
      SMTP_URL: smtp.url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // the app's warnings and errors, kept for a failing test's story (a recording's reason, a
  // crashed job): in a file beside the run, whose path is printed once
  const logPath = join(mkdtempSync(join(tmpdir(), 'linli-browser-app-')), 'app.log');
  const log = createWriteStream(logPath);
  console.log(`[browser tests] the app's log: ${logPath}`);
  const keep = (d: Buffer) => {
    output.push(d.toString());
    log.write(d);
  };
  server.stdout?.on('data', keep);
  server.stderr?.on('data', keep);

  const baseUrl = `http://127.0.0.1:${PORT}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (server.exitCode !== null || Date.now() > deadline) {
      server.kill('SIGKILL');
      await livekit.stop();
      await recorder.stop();
      await database.drop();
      throw new Error(`the app did not come up:\n${output.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  project.provide('baseUrl', baseUrl);
  project.provide('databaseUrl', database.url);
  project.provide('livekitUrl', livekit.url);
  project.provide('smtpDir', smtpDir);

  return async () => {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    server.kill('SIGKILL');
    await livekit.stop();
    await recorder.stop();
    await database.drop();
    await smtp.close();
    log.end();
  };
}
