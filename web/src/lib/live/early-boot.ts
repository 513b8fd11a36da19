// The watch page's first script. The server-rendered page of a live stream loads it ahead
// of SvelteKit's own start (hooks.server.ts puts it first in <head>, with the files it
// imports preloaded), so the room starts joining as soon as livekit-client is in, while the
// rest of the app still loads and compiles. hooks.client.ts imports it too: the same module,
// evaluated once, so the room starts once; and the page still starts it where no server
// put the script in (a dev server).
import { startEarlyRoom } from './early-room.ts';

/** The early room's start, null where the page has nothing to join. */
export const early = startEarlyRoom();
