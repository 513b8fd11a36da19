import { sql, type Kysely } from 'kysely';

// Leader invitations: an owner sends a link, the resident who opens it becomes an approved
// leader at the offered rate. Like sessions, only the SHA-256 of the link's random token is
// kept, so a leaked table cannot be turned into working links.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('leader_invites')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('shop_id', 'uuid', (c) => c.notNull().references('shops.id'))
    /** hex SHA-256 of the token in /invite/<token> */
    .addColumn('token_hash', 'text', (c) => c.notNull())
    /** whom the owner meant it for, so they can tell open invitations apart */
    .addColumn('note', 'text')
    .addColumn('commission_rate', 'numeric(5, 4)', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('accepted_at', 'timestamptz')
    .addColumn('accepted_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('leader_id', 'uuid', (c) => c.references('leaders.id'))
    .addUniqueConstraint('leader_invites_token_hash_unique', ['token_hash'])
    .addCheckConstraint(
      'leader_invites_commission_rate_range',
      sql`commission_rate >= 0 and commission_rate <= 1`,
    )
    .addCheckConstraint('leader_invites_note_length', sql`char_length(note) between 1 and 60`)
    // single use: accepted (with who and which leader) or not at all, and never both
    // accepted and revoked
    .addCheckConstraint(
      'leader_invites_accepted_complete',
      sql`(accepted_at is null and accepted_by is null and leader_id is null) or (accepted_at is not null and accepted_by is not null and leader_id is not null)`,
    )
    .addCheckConstraint(
      'leader_invites_accepted_or_revoked',
      sql`accepted_at is null or revoked_at is null`,
    )
    .execute();
  await db.schema
    .createIndex('leader_invites_shop_created_idx')
    .on('leader_invites')
    .columns(['shop_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('leader_invites').execute();
}
