import { sql, type Kysely } from 'kysely';

// Shop settings (issue 15): a shop's logo, one of this app's own uploads (the contract checks
// the URL as it does for covers; the database only bounds its length).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('shops').addColumn('logo_url', 'text').execute();
  await sql`alter table shops add constraint shops_logo_url_length
    check (char_length(logo_url) <= 200)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('shops').dropColumn('logo_url').execute();
}
