import { sql, type Kysely } from 'kysely';

// The after-sales promise and 秒退款 (issue 14.1–2). A shop promises an answer within
// response_promise_hours and refunds a bad-goods claim with a photo at once when the order's
// total is at most instant_refund_cents (0: never). Each request keeps the deadline it was
// promised (due_at: the promise may change later, the figures judge each request by its own),
// what it is about (kind), and who decided it (decided_as: the owner, the pickup point's
// leader, or automatic). Requests answered before this migration were all the owner's.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table shops
    add column response_promise_hours integer not null default 2
      constraint shops_response_promise_hours_range check (response_promise_hours between 1 and 72),
    add column instant_refund_cents integer not null default 0
      constraint shops_instant_refund_cents_range check (instant_refund_cents between 0 and 20000)`.execute(
    db,
  );

  await sql`alter table refund_requests
    add column kind text not null default 'other'
      constraint refund_requests_kind_valid check (kind in ('bad_goods', 'other')),
    add column due_at timestamptz,
    add column decided_as text
      constraint refund_requests_decided_as_valid check (decided_as in ('owner', 'leader', 'automatic'))`.execute(
    db,
  );
  await sql`update refund_requests set due_at = created_at + interval '2 hours'`.execute(db);
  await sql`update refund_requests set decided_as = 'owner' where status <> 'open'`.execute(db);
  await sql`alter table refund_requests alter column due_at set not null`.execute(db);
  // decided exactly when answered; only a photographed bad-goods claim is refunded unseen
  await sql`alter table refund_requests
    add constraint refund_requests_decided_when_resolved
      check ((status = 'open') = (decided_as is null)),
    add constraint refund_requests_automatic_needs_photo
      check (decided_as is distinct from 'automatic'
        or (kind = 'bad_goods' and photo_url is not null and status = 'approved'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table refund_requests
    drop constraint refund_requests_automatic_needs_photo,
    drop constraint refund_requests_decided_when_resolved,
    drop column decided_as,
    drop column due_at,
    drop column kind`.execute(db);
  await sql`alter table shops drop column instant_refund_cents, drop column response_promise_hours`.execute(
    db,
  );
}
