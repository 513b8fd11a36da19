// What the chat tells a resident about their comment or a moderation step, from the server's
// answer. Pure, so the mapping is tested without a socket.
import { parseJielong } from '../../../../server/contracts/jielong.ts';
import type { MessageKey, MessageValues } from '../i18n/index.ts';
import type { AckAnswer } from '../realtime.svelte.ts';

/** The server refuses longer comments; the composer counts down to it. */
export const COMMENT_MAX_CHARS = 200;

export interface ChatNotice {
  key: MessageKey;
  values?: MessageValues;
}

/** The owner's extra moves on a commenter (the studio passes them); each says whether it worked. */
export interface OwnerActions {
  invite: (userId: string, name: string) => Promise<boolean>;
  appoint: (userId: string, name: string) => Promise<boolean>;
}

export function tooLong(): ChatNotice {
  return { key: 'realtime.error.invalid', values: { max: COMMENT_MAX_CHARS } };
}

/** The notice for a refused answer; null when the server accepted. */
export function noticeForAnswer(answer: AckAnswer): ChatNotice | null {
  if (!('error' in answer)) return null;
  switch (answer.error.code) {
    case 'rate_limited':
      return { key: 'realtime.error.rateLimited' };
    case 'muted':
      return { key: 'realtime.error.muted' };
    case 'comment_blocked':
      return { key: 'realtime.error.blocked' };
    case 'validation_failed':
      return tooLong();
    case 'participant_removed':
      return { key: 'realtime.error.removed' };
    case 'forbidden':
      return { key: 'realtime.error.forbidden' };
    case 'network_error':
      return { key: 'realtime.error.network' };
    // a "+N" (接龙) the shop could not honour, told to the sender alone
    case 'sold_out':
      return { key: 'jielong.error.soldOut' };
    case 'limit_exceeded':
      return answer.error.limit
        ? { key: 'jielong.error.limitHeld', values: answer.error.limit }
        : { key: 'jielong.error.limit' };
    case 'offer_closed':
      return { key: 'jielong.error.closed' };
    case 'no_pinned_offer':
      return { key: 'jielong.error.noOffer' };
    case 'needs_details':
      return { key: 'jielong.error.needsDetails' };
    default:
      return { key: 'realtime.error.generic' };
  }
}

/** A "+N" whose refusal is final (the line is cleared rather than kept to resend). */
export function isSettledJielong(text: string, code: string): boolean {
  if (parseJielong(text) === null) return false;
  return [
    'sold_out',
    'limit_exceeded',
    'offer_closed',
    'no_pinned_offer',
    'needs_details',
  ].includes(code);
}
