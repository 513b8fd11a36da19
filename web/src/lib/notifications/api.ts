// Notices (the bell), the 提醒我 reminder, and 备好了 at a pickup point: one function per call,
// each answer checked against its contract schema.
import { api, done, read } from '../api/client.ts';
import { NotificationList, ReadyCount, ReminderState } from '../api/contracts.ts';

export type { Notification, NotificationNewPayload } from '../api/contracts.ts';

export const myNotifications = () => read(api.GET('/api/me/notifications'), NotificationList);

export const markNotificationsRead = (ids?: string[]) =>
  done(api.POST('/api/me/notifications/read', { body: ids ? { ids } : {} }));

export const reminder = (streamId: string) =>
  read(
    api.GET('/api/streams/{streamId}/reminder', { params: { path: { streamId } } }),
    ReminderState,
  );

export const setReminder = (streamId: string, on: boolean) =>
  read(
    on
      ? api.PUT('/api/streams/{streamId}/reminder', { params: { path: { streamId } } })
      : api.DELETE('/api/streams/{streamId}/reminder', { params: { path: { streamId } } }),
    ReminderState,
  );

export const markPointReady = (shopId: string, pickupPointId: string) =>
  read(
    api.POST('/api/shops/{shopId}/pickup-points/{pickupPointId}/ready', {
      params: { path: { shopId, pickupPointId } },
    }),
    ReadyCount,
  );
