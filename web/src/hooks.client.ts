// Runs while the app's code loads, before any page hydrates. A server-rendered watch page of
// a live stream carries the viewer's media token: its LiveKit room starts joining from
// lib/live/early-boot.ts, which the page usually loaded already (see that file), and the
// page hydrates once the picture shows (at most a couple of seconds later), so loading and
// hydrating comments, bag and offers never delays the first frame a resident waits for (see
// lib/live/early-room.ts). A dynamic import: no other page loads livekit-client for it.
import type { ClientInit } from '@sveltejs/kit/hooks';

const early = document.querySelector('[data-live-token]')
  ? import('#lib/live/early-boot.ts').then(
      (boot) => boot.early?.settled,
      () => undefined, // the page connects by itself
    )
  : undefined;

export const init: ClientInit = async () => {
  await early;
};
