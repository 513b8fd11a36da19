// The bell's state for a signed-in page: the latest notices and the unread count, read once
// and then kept live by `notification:new` on the socket.io namespace /me (its own
// connection: the stream page's socket reconnects on its own schedule).
import { io, type Socket } from 'socket.io-client';
import { markNotificationsRead, myNotifications, type Notification } from './api.ts';
import type { NotificationNewPayload } from './api.ts';

export class NoticeCentre {
  items = $state<Notification[]>([]);
  unread = $state(0);
  /** The notice that just arrived, shown briefly under the header. */
  fresh = $state<Notification | null>(null);
  #socket: Socket | null = null;
  #freshTimer: ReturnType<typeof setTimeout> | undefined;

  async load(): Promise<void> {
    const res = await myNotifications();
    if (!res.ok) return;
    this.items = res.data.notifications;
    this.unread = res.data.unread;
  }

  connect(): void {
    this.#socket?.disconnect();
    const socket = io('/me', { path: '/socket.io', forceNew: true, withCredentials: true });
    this.#socket = socket;
    // (re)connected: read what arrived meanwhile
    socket.on('connect', () => void this.load());
    socket.on('notification:new', ({ notification, unread }: NotificationNewPayload) => {
      this.items = [notification, ...this.items.filter((n) => n.id !== notification.id)].slice(
        0,
        50,
      );
      this.unread = unread;
      this.fresh = notification;
      clearTimeout(this.#freshTimer);
      this.#freshTimer = setTimeout(() => (this.fresh = null), 8000);
    });
  }

  async readAll(): Promise<void> {
    if (this.unread === 0) return;
    this.unread = 0;
    this.items = this.items.map((n) => ({ ...n, read: true }));
    await markNotificationsRead();
  }

  close(): void {
    clearTimeout(this.#freshTimer);
    this.#socket?.disconnect();
    this.#socket = null;
  }
}
