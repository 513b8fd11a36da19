// The watch page's first script. The server-rendered page of a live stream loads it ahead
// of SvelteKit's own start (hooks.server.ts puts it first in <head>, with the files it
// imports preloaded), so the room starts joining as soon as livekit-client is in. The
// server also holds SvelteKit's start until this script releases it, once the picture shows
// (or at once if there is nothing to join), so that loading and running the app does not
// compete with the room for the phone's CPU. hooks.client.ts imports this module too: the
// same module, evaluated once, so the room starts once; and the page still starts it where
// no server put the script in (a dev server).
import { startEarlyRoom } from './early-room.ts';

/** What hooks.server.ts puts in the page for SvelteKit's start to wait on. */
interface HeldStart {
  __linliStartNow?: () => void;
}

/** The early room's start, null where the page has nothing to join. */
export const early = startEarlyRoom();

const startApp = () => (globalThis as HeldStart).__linliStartNow?.();
if (early) void early.settled.then(startApp);
else startApp();
