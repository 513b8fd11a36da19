import type { TestProject } from 'vitest/node';
import { migrateToLatest } from '../../db/migrate';
import type { DB } from '../../db/schema';
import { freeLivekitPorts } from './ports';
import { createTestDatabase, kyselyFor, startTestLivekit } from './services';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    livekitUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const database = await createTestDatabase('it');
  // Every migration, from an empty database.
  const db = kyselyFor<DB>(database.url);
  await migrateToLatest(db);
  await db.destroy();
  const livekit = await startTestLivekit(await freeLivekitPorts());
  project.provide('databaseUrl', database.url);
  project.provide('livekitUrl', livekit.url);
  return async () => {
    await livekit.stop();
    await database.drop();
  };
}
