// The signed-in resident's waitlists in one stream: their place in each sold-out offer's
// line, and the unit held for them when one comes back. Read at start and whenever the room
// says something moved (waitlist:offer for them, offer:update for an offer they wait on).
import { joinWaitlist, leaveWaitlist, myWaitlist, type WaitlistEntry } from './api.ts';
import type { ApiError } from '../api/types.ts';

export class StreamWaitlist {
  entries = $state<Record<string, WaitlistEntry>>({});
  busy = $state(false);
  error = $state<ApiError | null>(null);

  /** Reads and changes are numbered so that a read answered late never undoes a newer one. */
  #ticket = 0;
  #shown = 0;

  constructor(readonly streamId: string) {}

  entry(offerId: string): WaitlistEntry | undefined {
    return this.entries[offerId];
  }

  /** Re-reads the resident's entries (a visitor without a session has none). */
  async load(): Promise<void> {
    const ticket = ++this.#ticket;
    const res = await myWaitlist(this.streamId);
    // a later read, or a join answered meanwhile, already shows something newer
    if (!res.ok || ticket < this.#shown) return;
    this.#shown = ticket;
    this.entries = Object.fromEntries(res.data.entries.map((e) => [e.offerId, e]));
  }

  async join(offerId: string): Promise<boolean> {
    return this.#act(async () => {
      const res = await joinWaitlist(this.streamId, offerId);
      if (!res.ok) return res.error;
      this.#shown = ++this.#ticket;
      this.entries = { ...this.entries, [offerId]: res.data.entry };
      return null;
    });
  }

  async leave(offerId: string): Promise<boolean> {
    return this.#act(async () => {
      const res = await leaveWaitlist(this.streamId, offerId);
      if (!res.ok) return res.error;
      await this.load();
      return null;
    });
  }

  async #act(step: () => Promise<ApiError | null>): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.error = null;
    try {
      this.error = await step();
      return this.error === null;
    } finally {
      this.busy = false;
    }
  }
}
