// Notices that reach people (issue 14.6): the notification centre (a bell with an unread
// count, live over socket.io) and the reminder a resident asks for on a scheduled stream.
import { z } from 'zod';

export const NOTIFICATION_KINDS = [
  'stream_live',
  'group_formed',
  'group_failed',
  'order_ready',
  'refund_decided',
  'leader_decided',
  'commission_earned',
  'waitlist_offer',
] as const;
export const NotificationKind = z.enum(NOTIFICATION_KINDS);

export const Notification = z
  .object({
    id: z.string(),
    kind: NotificationKind,
    /** in the recipient's language */
    title: z.string(),
    body: z.string(),
    /** where tapping it goes (a path of this app), if anywhere */
    url: z.string().nullable(),
    createdAt: z.string(),
    read: z.boolean(),
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof Notification>;

export const NotificationList = z.object({
  notifications: z.array(Notification),
  unread: z.number().int(),
});

export const MarkReadBody = z.strictObject({
  /** the notices read; absent: all of them */
  ids: z.array(z.uuid()).min(1).max(100).optional(),
});

/** `notification:new` on the `/me` namespace: to the recipient's sockets alone. */
export const NotificationNewPayload = z.object({ notification: Notification, unread: z.number() });
export type NotificationNewPayload = z.infer<typeof NotificationNewPayload>;

export const ReminderState = z.object({ reminded: z.boolean() });

/** POST …/pickup-points/{pickupPointId}/ready: the orders that became ready (buyers told). */
export const ReadyCount = z.object({ ready: z.number().int() });
