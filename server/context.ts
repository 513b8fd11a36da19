import type { GateTicket } from './services/stock-gate.service';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Database } from '../db/database';
import type { MediaService } from '../media/media.service';
import type { RealtimeBus } from './realtime/bus';
import type { User } from './services/auth.service';

/** What the app is built from; tests build one of these against real services. */
export interface AppDeps {
  config: Config;
  db: Database;
  dbKind: 'postgres' | 'pglite';
  media: MediaService;
  logger: Logger;
  /** Announces committed changes to the realtime layer. */
  realtime: RealtimeBus;
}

/** Typed variables every request carries. */
export interface AppEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    user: User | null;
    sessionId: string | null;
    /** What the stock gate let through before an order (middleware/stock-gate.ts). */
    stockGate?: GateTicket;
  };
}
