// The replay's pinned card buys through the watch page's one order sheet (CommerceOverlay
// owns it, with the viewer's session, the leader's ?ref= and the waitlist): the card asks
// here, the overlay of the same stream answers by opening its sheet for that offer.

class ReplayBuy {
  /** The offer a replay card asked to buy, not yet opened. */
  asked = $state<{ streamId: string; offerId: string } | null>(null);

  ask(streamId: string, offerId: string): void {
    this.asked = { streamId, offerId };
  }

  /** The offer asked for this stream, once: the sheet opens for it. */
  take(streamId: string): string | null {
    const asked = this.asked;
    if (asked?.streamId !== streamId) return null;
    this.asked = null;
    return asked.offerId;
  }
}

export const replayBuy = new ReplayBuy();
