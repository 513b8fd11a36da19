import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../setup/ports';

// A PostgreSQL cluster of a fault test's own (Debian's initdb and pg_ctl, a temp directory,
// a spare port), so a test can restart or stop it without touching the shared server that
// every other test uses.

const BIN = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

function asPostgres(args: string[]): string[] {
  // initdb and the server refuse to run as root
  return process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', ...args] : args;
}

function run(args: string[]): void {
  const [cmd, ...rest] = asPostgres(args);
  const result = spawnSync(cmd!, rest, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  }
}

export interface PrivatePostgres {
  url: string;
  port: number;
  /** `pg_ctl restart -m fast`: every connection is cut, the server is back in a moment. */
  restart(): void;
  stop(): void;
  start(): void;
  destroy(): void;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'linli-pg-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  run([`${BIN}/initdb`, '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const ctl = (...args: string[]) =>
    run([`${BIN}/pg_ctl`, '-D', data, '-l', join(dir, 'log'), '-w', '-t', '30', ...args]);
  ctl('-o', opts, 'start');
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    restart: () => ctl('-m', 'fast', '-o', opts, 'restart'),
    stop: () => ctl('-m', 'fast', 'stop'),
    start: () => ctl('-o', opts, 'start'),
    destroy: () => {
      try {
        ctl('-m', 'immediate', 'stop');
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
