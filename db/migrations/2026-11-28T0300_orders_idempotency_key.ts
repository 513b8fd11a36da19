import { sql, type Kysely } from 'kysely';

// The stock gate asks whether an Idempotency-Key already bought something before it answers
// a keyed request "sold out" without a session (a winner retrying must get their order):
// by the key alone, so it needs an index of its own (the unique one leads with the buyer).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index orders_idempotency_key_idx on orders (idempotency_key)
    where idempotency_key is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index orders_idempotency_key_idx`.execute(db);
}
