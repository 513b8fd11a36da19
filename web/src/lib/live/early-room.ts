// The watch page's first second: its LiveKit room starts joining as soon as livekit-client
// has loaded, and the shop's picture plays in the server-rendered <video> before the rest of
// the page (comments, bag, offers) hydrates. hooks.client.ts starts it and holds hydration
// until the picture shows (`settled`), so the two do not compete for the phone's CPU; the
// page's ViewerRoom then adopts the room as it is and carries on from there. What makes this
// possible: the server renders the viewer's token into the page (data-live-url/-token).
// Kept small on purpose: livekit-client and nothing of the API's contracts.
import {
  Room,
  RoomEvent,
  Track,
  type RemoteParticipant,
  type RemoteTrack,
  type RoomOptions,
} from 'livekit-client';
import { roleFromMetadata } from './attach.ts';
import { reconnectPolicy } from './reconnect.ts';

/**
 * The watch page's room: adaptive stream (the server sends the simulcast layer that fits the
 * element's size and pauses video nobody can see); dynacast lets the publisher drop unused
 * layers.
 */
export function watchRoomOptions(): RoomOptions {
  return { adaptiveStream: true, dynacast: true, reconnectPolicy: reconnectPolicy() };
}

/** What decides the main picture: whose video it is and what it shows. */
export interface VideoSource {
  role: 'host' | 'cohost' | 'viewer';
  source: Track.Source;
}

/** The shop's own picture is the main one: a screen share first, else its camera. */
export function pickMain<T extends VideoSource>(videos: readonly T[]): T | null {
  return (
    videos.find((v) => v.role === 'host' && v.source === Track.Source.ScreenShare) ??
    videos.find((v) => v.role === 'host') ??
    videos[0] ??
    null
  );
}

/** A track the early room put into a media element, for the page to take over. */
export interface Shown {
  track: RemoteTrack;
  element: HTMLMediaElement;
}

/** The longest the page waits for the first frame before it hydrates anyway. */
export const FIRST_FRAME_WAIT_MS = 2000;

export interface EarlyRoom {
  room: Room;
  /** Whether the room joined (false: it failed, the page tries again its own way). */
  joined: Promise<boolean>;
  /** The main picture, if it is already playing in the page's <video>. */
  shown: Shown | null;
}

interface Pending extends EarlyRoom {
  token: string;
  stop: () => void;
  /**
   * The picture shows, or will not soon: the join failed, nobody publishes video yet, or
   * FIRST_FRAME_WAIT_MS passed. Never rejects.
   */
  settled: Promise<void>;
}

let pending: Pending | null = null;

function remoteVideos(participants: Iterable<RemoteParticipant>) {
  const videos: (VideoSource & { track: RemoteTrack })[] = [];
  for (const p of participants) {
    const role = roleFromMetadata(p.metadata);
    for (const pub of p.trackPublications.values()) {
      if (pub.track && pub.isSubscribed && pub.track.kind === Track.Kind.Video) {
        videos.push({ role, source: pub.source, track: pub.track });
      }
    }
  }
  return videos;
}

/** Resolves at the first frame `video` shows. */
function firstFrame(video: HTMLVideoElement): Promise<void> {
  return new Promise((resolve) => {
    // not in every browser yet: `playing` comes a little later but comes
    const frames = video as Partial<Pick<HTMLVideoElement, 'requestVideoFrameCallback'>>;
    if (frames.requestVideoFrameCallback) video.requestVideoFrameCallback(() => resolve());
    else video.addEventListener('playing', () => resolve(), { once: true });
  });
}

/**
 * Joins the room of the live stream this server-rendered page is showing, if it carries a
 * token, and plays the main picture in its <video data-live-main>. Once per page load; the
 * answer says when the picture shows (or will not soon), null if there is nothing to join.
 */
export function startEarlyRoom(doc: Document = document): { settled: Promise<void> } | null {
  const holder = doc.querySelector<HTMLElement>('[data-live-token]');
  const video = doc.querySelector<HTMLVideoElement>('video[data-live-main]');
  const url = holder?.dataset.liveUrl;
  const token = holder?.dataset.liveToken;
  if (pending || !url || !token || !video) return null;

  // Marks for bench:media's time-to-first-frame breakdown; cheap enough to keep.
  // ('live:early' says the join began here, before the page hydrated.)
  performance.mark('live:early');
  performance.mark('live:connect');
  const room = new Room(watchRoomOptions());
  const early: Pending = {
    token,
    room,
    shown: null,
    joined: Promise.resolve(false),
    settled: Promise.resolve(),
    stop: () => room.off(RoomEvent.TrackSubscribed, show),
  };
  function show() {
    performance.mark('live:subscribed');
    const main = pickMain(remoteVideos(room.remoteParticipants.values()));
    if (!main || main.track === early.shown?.track) return;
    early.shown?.track.detach(video!);
    main.track.attach(video!);
    early.shown = { track: main.track, element: video! };
  }
  room.on(RoomEvent.TrackSubscribed, show);
  early.joined = room.connect(url, token).then(
    () => {
      performance.mark('live:connected');
      return true;
    },
    () => false,
  );
  const nothingToShow = early.joined.then((joined) => {
    const publishing = [...room.remoteParticipants.values()].some(
      (p) => p.videoTrackPublications.size > 0,
    );
    // otherwise never: the first frame settles it
    return joined && publishing ? new Promise<void>(() => undefined) : undefined;
  });
  early.settled = Promise.race([
    firstFrame(video),
    nothingToShow,
    new Promise<void>((resolve) => setTimeout(resolve, FIRST_FRAME_WAIT_MS)),
  ]);
  pending = early;
  return { settled: early.settled };
}

/**
 * The room started early for this token, handed over once: from now on its events are the
 * page's. Null if none was started (e.g. the page was reached by a client-side navigation).
 */
export function adoptEarlyRoom(token: string): EarlyRoom | null {
  if (pending?.token !== token) return null;
  const { room, joined, shown, stop } = pending;
  pending = null;
  stop();
  return { room, joined, shown };
}
