import type { Migration } from 'kysely/migration';
import * as foundation from './2026-11-22T0000_foundation';
import * as media from './2026-11-22T0100_media';
import * as commerce from './2026-11-22T0200_commerce';
import * as realtime from './2026-11-22T0300_realtime';
import * as leaders from './2026-11-22T0400_leaders';
import * as leaderInvites from './2026-11-22T0535_leader_invites';
import * as buyerLimits from './2026-11-26T0100_buyer_limits';
import * as shopLogo from './2026-11-27T0100_shop_logo';
import * as shopModerators from './2026-11-27T0200_shop_moderators';
import * as leaderboardHidden from './2026-11-28T0100_leaderboard_hidden';
import * as shopMembers from './2026-11-28T0200_shop_members';
import * as ordersIdempotencyKey from './2026-11-28T0300_orders_idempotency_key';
import * as waitlist from './2026-11-29T0100_waitlist';
import * as orderRatings from './2026-11-29T0200_order_ratings';
import * as saleEndsAt from './2026-11-29T0300_sale_ends_at';
import * as streamRecordings from './2026-11-29T0400_stream_recordings';
import * as afterSales from './2026-11-29T0500_after_sales';
import * as notifications from './2026-11-29T0600_notifications';
import * as payouts from './2026-11-29T0700_payouts';
import * as leaderTrust from './2026-11-29T0800_leader_trust';
import * as streamPins from './2026-11-29T0950_stream_pins';
import * as orderUnitsHeld from './2026-11-29T1000_order_units_held';

/**
 * Every migration, by its timestamped name. Imported statically so the same list works
 * under tsx, in the bundle and in tests. Names sort in the order they run.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-22T0000_foundation': foundation,
  '2026-11-22T0100_media': media,
  '2026-11-22T0200_commerce': commerce,
  '2026-11-22T0300_realtime': realtime,
  '2026-11-22T0400_leaders': leaders,
  '2026-11-22T0535_leader_invites': leaderInvites,
  '2026-11-26T0100_buyer_limits': buyerLimits,
  '2026-11-27T0100_shop_logo': shopLogo,
  '2026-11-27T0200_shop_moderators': shopModerators,
  '2026-11-28T0100_leaderboard_hidden': leaderboardHidden,
  '2026-11-28T0200_shop_members': shopMembers,
  '2026-11-28T0300_orders_idempotency_key': ordersIdempotencyKey,
  '2026-11-29T0100_waitlist': waitlist,
  '2026-11-29T0200_order_ratings': orderRatings,
  '2026-11-29T0300_sale_ends_at': saleEndsAt,
  '2026-11-29T0400_stream_recordings': streamRecordings,
  '2026-11-29T0500_after_sales': afterSales,
  '2026-11-29T0600_notifications': notifications,
  '2026-11-29T0700_payouts': payouts,
  '2026-11-29T0800_leader_trust': leaderTrust,
  '2026-11-29T0950_stream_pins': streamPins,
  '2026-11-29T1000_order_units_held': orderUnitsHeld,
};
