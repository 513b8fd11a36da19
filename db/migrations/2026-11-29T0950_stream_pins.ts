import { sql, type Kysely } from 'kysely';

// The replay shows the offers at the moments they were pinned (issue 10): every pin and
// unpin of a stream, with its time. streams.pinned_offer_id says only what is pinned now.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stream_pins')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('stream_id', 'uuid', (c) => c.notNull().references('streams.id').onDelete('cascade'))
    // null: the owner unpinned
    .addColumn('offer_id', 'uuid', (c) => c.references('offers.id').onDelete('cascade'))
    .addColumn('pinned_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index stream_pins_by_stream on stream_pins (stream_id, pinned_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('stream_pins').execute();
}
