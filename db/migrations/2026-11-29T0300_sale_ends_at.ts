import type { Kysely } from 'kysely';

// The sale outlives the live (issue 10): a stream's offers take orders until sale_ends_at.
// The owner may set it; at the end it is set to 24 hours later (capped by the latest group
// deadline) when still unset. Streams that ended before this have none: their sale is over.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('streams').addColumn('sale_ends_at', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('streams').dropColumn('sale_ends_at').execute();
}
