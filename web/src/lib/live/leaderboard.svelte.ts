// The in-stream 团长榜 (issue 17), as runes: seeded from GET /api/streams/:id/leaderboard,
// grown by every `order:new` that names a leader, and re-read every few seconds so that
// cancellations and refunds (which send no order event) drop out.
import type {
  LeaderboardEntry,
  StreamLeaderboard,
} from '../../../../server/contracts/leaderboard.ts';
import type { OrderNewPayload } from '../../../../server/contracts/realtime.ts';

export const LEADERBOARD_REFRESH_MS = 10_000;

/** Most orders first, then most units; equal ones keep their place (who sold first). */
export function rankLeaders(leaders: LeaderboardEntry[]): LeaderboardEntry[] {
  return leaders
    .map((l, i) => ({ l, i }))
    .sort((a, b) => b.l.orders - a.l.orders || b.l.units - a.l.units || a.i - b.i)
    .map((x) => x.l);
}

/** The board after one more order (events come at least once: the caller drops repeats). */
export function addOrder(leaders: LeaderboardEntry[], order: OrderNewPayload): LeaderboardEntry[] {
  const leader = order.leader;
  if (!leader) return leaders;
  const known = leaders.some((l) => l.leaderId === leader.leaderId);
  const next = known
    ? leaders.map((l) =>
        l.leaderId === leader.leaderId
          ? { ...l, orders: l.orders + 1, units: l.units + order.quantity }
          : l,
      )
    : [...leaders, { ...leader, orders: 1, units: order.quantity }];
  return rankLeaders(next);
}

export class LiveLeaderboard {
  leaders = $state<LeaderboardEntry[]>([]);
  /** The owner hid the board (the owner still gets its leaders). */
  hidden = $state(false);
  loaded = $state(false);

  // bookkeeping, never rendered
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #seen = new Set<string>();
  #timer: ReturnType<typeof setInterval> | null = null;
  #reads = 0;

  /** `read` answers null when the board could not be read (the next tick tries again). */
  constructor(private readonly read: () => Promise<StreamLeaderboard | null>) {}

  async refresh(): Promise<void> {
    const n = ++this.#reads;
    try {
      const board = await this.read();
      if (!board || n !== this.#reads) return; // failed, or a later read is on its way
      this.leaders = rankLeaders(board.leaders);
      this.hidden = board.hidden;
      this.loaded = true;
    } catch {
      // the next tick tries again; the board keeps what it had
    }
  }

  hear(order: OrderNewPayload): void {
    if (!order.leader) return;
    if (order.orderId) {
      if (this.#seen.has(order.orderId)) return;
      this.#seen.add(order.orderId);
    }
    if (this.hidden && this.leaders.length === 0) return;
    this.leaders = addOrder(this.leaders, order);
  }

  start(): void {
    void this.refresh();
    this.#timer ??= setInterval(() => void this.refresh(), LEADERBOARD_REFRESH_MS);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
