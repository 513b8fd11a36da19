// The watch page's and the studio's live connection: one socket.io client per stream, its
// state as Svelte runes. Shares the typed event map with the server.
import { io, type Socket } from 'socket.io-client';
import { parseJielong } from '../../../server/contracts/jielong.ts';
import type { JielongEntry } from '../../../server/contracts/jielong.ts';
import type { Order } from '../../../server/contracts/order.ts';
import type { CommentRole } from '../../../server/contracts/realtime.ts';
import type { WaitlistOfferPayload } from '../../../server/contracts/waitlist.ts';
import type {
  ClientToServerEvents,
  CommentPayload,
  GroupReachedPayload,
  OfferUpdatePayload,
  OrderNewPayload,
  Segment,
  ServerToClientEvents,
  StreamStatusPayload,
  StreamUpdatePayload,
} from '../../../server/realtime/events.ts';

export type {
  CommentPayload,
  CommentRole,
  JielongEntry,
  OfferUpdatePayload,
  OrderNewPayload,
  Segment,
};

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export type AckAnswer =
  | {
      ok: true;
      /** the comment posted */
      id?: string;
      /** a "+N" (接龙): the order it placed, for this sender only */
      order?: Order;
      replayed?: boolean;
    }
  | {
      ok?: false;
      error: { code: string; message: string; limit?: { perBuyer: number; held: number } };
    };

/** The 接龙 list of the pinned offer: everyone who ordered it, oldest first. */
export interface JielongList {
  offerId: string;
  entries: JielongEntry[];
}

export interface OrderBubble extends OrderNewPayload {
  key: number;
}

/** Comments kept in memory; older ones scroll away. */
const MAX_COMMENTS = 200;
const BUBBLE_MS = 4000;
const CELEBRATION_MS = 4500;

type StreamSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export class StreamRealtime {
  comments = $state<CommentPayload[]>([]);
  viewers = $state(0);
  likes = $state(0);
  bubbles = $state<OrderBubble[]>([]);
  offers = $state<Record<string, OfferUpdatePayload>>({});
  pinnedOfferId = $state<string | null>(null);
  segment = $state<Segment | null>(null);
  status = $state<StreamStatusPayload['status'] | null>(null);
  celebration = $state<GroupReachedPayload | null>(null);
  /** The stream's title, time and cover as the owner last edited them, while watching. */
  streamEdit = $state<StreamUpdatePayload | null>(null);
  canModerate = $state(false);
  /** This user's standing here, as the server decided: owner, co-host, moderator or none. */
  role = $state<CommentRole | null>(null);
  /** The signed-in user's id, as the server knows it (null for a visitor). */
  me = $state<string | null>(null);
  /** The shop removed this user from the stream. */
  removed = $state(false);
  /** ISO time until which the shop muted this user here, if it did. */
  mutedUntil = $state<string | null>(null);
  connection = $state<ConnectionState>('connecting');
  /** In the stream's room (the server accepted the join): events from now on arrive. */
  joined = $state(false);
  /**
   * The 接龙 strip under the pinned card: every order of the pinned offer (by chat "+1" or
   * through the sheet — to the room both are the same 接龙), read once with `jielong:list`
   * and grown by `order:new`.
   */
  jielong = $state<JielongList | null>(null);
  /** What this resident's own "+N" placed: the page shows it as a toast with the pickup code. */
  jielongPlaced = $state<Order | null>(null);
  /** A "+N" the server could not place without a phone and pickup point: open the sheet. */
  jielongSheet = $state<{ quantity: number; key: number } | null>(null);
  /** Until when the offers sell after the live, as last heard (undefined: nothing heard). */
  saleEndsAt = $state<string | null | undefined>(undefined);
  /** The last unit a waitlist held for this resident (sent to them alone). */
  waitlistOffer = $state<WaitlistOfferPayload | null>(null);
  /** Invitations to the stage heard for this user, counted (each one offers the stage). */
  stageInvites = $state(0);

  #socket: StreamSocket | null = null;
  #bubbleKey = 0;
  #joins = 0;
  #connects = 0;
  // bookkeeping for close(), never rendered: a plain Set is right here
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #timers = new Set<ReturnType<typeof setTimeout>>();
  /** Actions waiting for the (re)joined room, e.g. a comment typed while reconnecting. */
  #whenJoined: (() => void)[] = [];
  #onResync: (() => void) | undefined;
  /** Who else follows `order:new` (the 团长榜). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #orderListeners = new Set<(order: OrderNewPayload) => void>();

  constructor(
    readonly streamId: string,
    opts: { onResync?: () => void } = {},
  ) {
    this.#onResync = opts.onResync;
  }

  /** Hears every `order:new` (repeats included); returns how to stop. */
  onOrder(listener: (order: OrderNewPayload) => void): () => void {
    this.#orderListeners.add(listener);
    return () => this.#orderListeners.delete(listener);
  }

  /** Opens (or reopens, e.g. after signing in as a guest) the connection. */
  connect(): void {
    this.#connects += 1;
    this.#socket?.disconnect();
    const socket: StreamSocket = io({ path: '/socket.io', withCredentials: true });
    this.#socket = socket;
    this.connection = 'connecting';

    socket.on('connect', () => {
      this.connection = 'live';
      // Within two minutes socket.io replays what we missed (and we are still in the room);
      // after that, start over.
      if (!socket.recovered) return this.#join();
      this.joined = true;
      for (const go of this.#whenJoined.splice(0)) go();
    });
    socket.on('disconnect', (reason) => {
      this.joined = false;
      this.connection = reason === 'io client disconnect' ? 'offline' : 'reconnecting';
    });
    // The handshake admits everyone (without a session, watch-only); an error here is
    // transient and socket.io retries by itself.
    socket.on('connect_error', () => {
      this.connection = 'reconnecting';
    });

    socket.on('comment:new', (comment) => {
      if (this.comments.some((c) => c.id === comment.id)) return;
      this.comments = [...this.comments, comment].slice(-MAX_COMMENTS);
    });
    socket.on('comment:deleted', ({ id }) => {
      this.comments = this.comments.filter((c) => c.id !== id);
    });
    socket.on('order:new', (order) => {
      for (const listener of this.#orderListeners) listener(order);
      const list = this.jielong;
      if (
        list?.offerId === order.offerId &&
        order.orderId &&
        !list.entries.some((e) => e.orderId === order.orderId)
      ) {
        const entry = {
          orderId: order.orderId,
          buyerName: order.buyerName,
          quantity: order.quantity,
        };
        this.jielong = { offerId: list.offerId, entries: [...list.entries, entry] };
      }
      const bubble = { ...order, key: ++this.#bubbleKey };
      this.bubbles = [...this.bubbles, bubble].slice(-3);
      this.#later(BUBBLE_MS, () => {
        this.bubbles = this.bubbles.filter((b) => b.key !== bubble.key);
      });
    });
    socket.on('offer:update', (update) => {
      this.offers = { ...this.offers, [update.offerId]: update };
    });
    socket.on('offer:pinned', ({ offerId }) => {
      this.pinnedOfferId = offerId;
    });
    socket.on('group:reached', (reached) => {
      this.celebration = reached;
      this.#later(CELEBRATION_MS, () => {
        if (this.celebration === reached) this.celebration = null;
      });
    });
    socket.on('stream:status', ({ status, segment, saleEndsAt }) => {
      this.status = status;
      if (segment !== undefined) this.segment = segment;
      if (saleEndsAt !== undefined) this.saleEndsAt = saleEndsAt;
    });
    socket.on('stream:update', (update) => {
      this.streamEdit = update;
      if (update.saleEndsAt !== undefined) this.saleEndsAt = update.saleEndsAt;
    });
    socket.on('stream:segment', ({ segment }) => {
      this.segment = segment;
    });
    socket.on('viewers', ({ count }) => {
      this.viewers = count;
    });
    socket.on('like', ({ count }) => {
      this.likes = count;
    });
    socket.on('user:muted', ({ until }) => {
      this.mutedUntil = until;
    });
    socket.on('waitlist:offer', (offer) => {
      this.waitlistOffer = offer;
    });
    socket.on('user:removed', ({ userId }) => {
      if (userId === this.me) this.removed = true;
    });
    socket.on('cohost:invited', ({ userId }) => {
      if (userId === this.me) this.stageInvites += 1;
    });
    // The owner appointed or dismissed this user as a moderator: the controls follow at once
    // (the server checks every step anyway). An owner or co-host keeps theirs.
    socket.on('moderator:changed', ({ userId, moderator }) => {
      if (userId !== this.me) return;
      if (moderator && this.role === null) this.role = 'moderator';
      if (!moderator && this.role === 'moderator') this.role = null;
      this.canModerate = this.role !== null;
    });
  }

  #join(): void {
    this.#socket?.emit('stream:join', { streamId: this.streamId }, (answer) => {
      if ('error' in answer) return;
      this.joined = true;
      for (const go of this.#whenJoined.splice(0)) go();
      this.comments = answer.comments;
      this.likes = answer.likes;
      this.canModerate = answer.canModerate;
      this.role = answer.role ?? null;
      this.me = answer.userId ?? null;
      // A join after the first (a reconnect socket.io could not recover, or signing in as a
      // guest) may have missed events: the page re-reads the stream (offers, stock, status) and
      // the stock we held is dropped rather than shadowing the fresh read.
      const firstOfPage = this.#connects === 1 && this.#joins === 0;
      this.#joins += 1;
      if (!firstOfPage) {
        this.offers = {};
        this.#onResync?.();
      }
      // (re)read the 接龙 list: orders may have come while we were away
      if (this.jielong) this.#loadJielong(this.jielong.offerId);
    });
  }

  /** Follows the pinned offer's 接龙 list (null: nothing pinned). */
  watchJielong(offerId: string | null): void {
    if (offerId === (this.jielong?.offerId ?? null)) return;
    this.jielong = offerId ? { offerId, entries: [] } : null;
    if (offerId && this.joined) this.#loadJielong(offerId);
  }

  #loadJielong(offerId: string): void {
    this.#socket?.emit('jielong:list', { offerId }, (answer) => {
      if ('error' in answer || this.jielong?.offerId !== offerId) return;
      // events heard while the list was read are kept (the read may predate them)
      const read = answer.entries.map((e) => e.orderId);
      const heard = this.jielong.entries.filter((e) => !read.includes(e.orderId));
      this.jielong = { offerId, entries: [...answer.entries, ...heard] };
    });
  }

  #later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
  }

  /**
   * Resolves true once in the room (at once if already), false after `ms`: before an action
   * that needs the room, e.g. an order placed right after signing in, so the buyer's own
   * order:new reaches the new socket.
   */
  ready(ms: number): Promise<boolean> {
    if (this.#socket?.connected && this.joined) return Promise.resolve(true);
    return new Promise((resolve) => {
      const go = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.#whenJoined = this.#whenJoined.filter((g) => g !== go);
        resolve(false);
      }, ms);
      this.#whenJoined.push(go);
    });
  }

  async #ask(
    event: 'comment:send' | 'comment:delete' | 'user:mute' | 'user:remove',
    payload: Record<string, unknown>,
  ): Promise<AckAnswer> {
    // Right after picking a nickname (or a network blip) the socket is reconnecting: wait for
    // the room a few seconds rather than drop what the resident just typed.
    if (!(await this.ready(5000))) {
      return { error: { code: 'network_error', message: 'Not connected.' } };
    }
    const socket = this.#socket;
    if (!socket?.connected) {
      return { error: { code: 'network_error', message: 'Not connected.' } };
    }
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => resolve({ error: { code: 'network_error', message: 'No answer.' } }),
        8000,
      );
      // one helper for several events whose payloads differ; the event map types each call site
      const emit = socket.emit.bind(socket) as unknown as (
        e: string,
        p: unknown,
        ack: (a: AckAnswer) => void,
      ) => void;
      emit(event, payload, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
    });
  }

  /**
   * `clientId` names the message: resending the same message (after a dropped connection)
   * with the same id never places a "+1" order twice.
   */
  async send(text: string, clientId: string = crypto.randomUUID()): Promise<AckAnswer> {
    const answer = await this.#ask('comment:send', { text, clientId });
    if ('error' in answer) {
      if (answer.error.code === 'needs_details') {
        this.jielongSheet = { quantity: parseJielong(text) ?? 1, key: Date.now() };
      }
    } else if (answer.order) {
      this.jielongPlaced = answer.order;
    }
    return answer;
  }

  deleteComment(id: string): Promise<AckAnswer> {
    return this.#ask('comment:delete', { id });
  }

  mute(userId: string, minutes: number): Promise<AckAnswer> {
    return this.#ask('user:mute', { userId, minutes });
  }

  /** Removes someone from the stream for good (owner, co-host or moderator). */
  remove(userId: string): Promise<AckAnswer> {
    return this.#ask('user:remove', { userId });
  }

  like(count = 1): void {
    this.likes += count;
    this.#socket?.emit('like', { count });
  }

  close(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#socket?.disconnect();
    this.#socket = null;
  }
}
