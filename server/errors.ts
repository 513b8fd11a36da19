import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Every error code the API can answer with. Clients switch on these; keep the list closed. */
export const errorStatus = {
  bad_request: 400,
  malformed_json: 400,
  validation_failed: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  forbidden_origin: 403,
  muted: 403,
  participant_removed: 403,
  not_found: 404,
  conflict: 409,
  email_taken: 409,
  slug_taken: 409,
  stream_not_live: 409,
  sold_out: 409,
  limit_exceeded: 409,
  offer_closed: 409,
  /** the stream's sale is over: its saleEndsAt has passed (or it ended before sales outlived it) */
  sale_closed: 409,
  /** a "+1" in the chat while no offer is pinned (接龙) */
  no_pinned_offer: 409,
  /** a "+1" from someone without an earlier order here: the order sheet asks phone and pickup */
  needs_details: 409,
  /** joining the waitlist of an offer that still has units: order them instead */
  in_stock: 409,
  /** confirming a waitlist unit that is not (or no longer) held for this resident */
  no_reservation: 409,
  /** the stream has ended: nothing about it can change any more */
  stream_ended: 409,
  /** the stream is live: only its title can still change */
  stream_started: 409,
  /** an offer's quantity cannot go below the units already sold or held */
  quantity_below_sold: 409,
  /** an offer's group terms cannot change once anyone has ordered on it */
  offer_has_orders: 409,
  invalid_transition: 409,
  /** a stream can be resumed only within a while of ending (stream.service RESUME_WINDOW_MS) */
  resume_expired: 409,
  pickup_code_used: 409,
  /** a leader invitation is single use, and this one has been accepted */
  invite_used: 409,
  /** accepting an invitation to a shop one already leads for */
  already_leader: 409,
  /** a suspended leader cannot reinstate themselves through an invitation */
  leader_suspended: 403,
  /** the account has stored as many uploads (files or bytes) as one account may */
  quota_exceeded: 403,
  /** a members-only stream: only the shop's members (and its owner and staff) may watch */
  members_only: 403,
  /** a rating is for an order that was picked up */
  not_picked_up: 409,
  /** a rating can change only within RATING_EDIT_DAYS of its first version */
  rating_locked: 409,
  /** the owner answers a rating once */
  already_replied: 409,
  invite_expired: 410,
  /** the owner withdrew the invitation */
  invite_revoked: 410,
  idempotency_conflict: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  comment_blocked: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof errorStatus;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; issues?: { path: string; message: string }[] };
}

/** An expected failure, rendered by the error handler as {error:{code,message}}. */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: { path: string; message: string }[],
    /** For limit_exceeded: the per-buyer limit and the units already held, for the sheet. */
    readonly limit?: { perBuyer: number; held: number },
  ) {
    super(message);
  }
  get status(): ContentfulStatusCode {
    return errorStatus[this.code];
  }
  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.issues ? { issues: this.issues } : {}),
        ...(this.limit ? { limit: this.limit } : {}),
      },
    };
  }
}
