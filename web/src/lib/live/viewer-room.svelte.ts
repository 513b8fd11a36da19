// The watch page's side of a LiveKit room: waiting for a planned stream to start, joining it,
// the pictures and sound to play, coming back by itself after the connection or the media
// server dropped, and a viewer's turn on stage as a co-host. Its state is runes, so the
// watch page and its components read it directly.
import {
  ConnectionState,
  DisconnectReason,
  Room,
  RoomEvent,
  Track,
  type LocalTrack,
  type RemoteParticipant,
  type RemoteTrack,
} from 'livekit-client';
// Types only: the schemas that check these answers come with the calls (lib/stream/api.ts).
import type { MediaToken, Segment, StreamStatus } from '#lib/api/contracts.ts';
import { acceptCohost, mediaToken, myStage, streamView } from '#lib/stream/api.ts';
import { parseNotice, roleFromMetadata, segmentFromRoomMetadata } from './attach.ts';
import { adoptEarlyRoom, pickMain, watchRoomOptions, type Shown } from './early-room.ts';
import { backoffMs } from './reconnect.ts';

export type ViewerPhase =
  | 'idle'
  | 'connecting'
  | 'waiting'
  | 'playing'
  | 'reconnecting'
  | 'error'
  | 'removed'
  /** a members-only stream and we are not a member: join the shop, then retry() */
  | 'members';

export interface Tile {
  key: string;
  identity: string;
  name: string;
  role: 'host' | 'cohost' | 'viewer';
  source: Track.Source;
  track: RemoteTrack;
}

/** Our own tries after livekit-client gave up or a connection failed: about a minute. */
const MAX_RETRIES = 10;

export interface ViewerRoomOptions {
  /** The token rendered with the page, used for the first connection only. */
  token: MediaToken | null;
  /** Whether someone is signed in: only they can be invited on stage. */
  signedIn: () => boolean;
  /** When the stream is planned to start, as last heard: polling is sooner once it has passed. */
  scheduledAt: () => Date | null;
}

export class ViewerRoom {
  // The page's data seeds these; the room, the socket and polling keep them current.
  status = $state<StreamStatus>('scheduled');
  segment = $state<Segment | null>(null);

  phase = $state<ViewerPhase>('idle');
  muted = $state(true);
  videos = $state<Tile[]>([]);
  audios = $state<Tile[]>([]);

  /** The shop's own picture is the main one: a screen share first, else its camera. */
  readonly main: Tile | null = $derived(pickMain(this.videos));
  readonly sideTiles: Tile[] = $derived(this.videos.filter((v) => v !== this.main));

  invited = $state(false);
  onStage = $state(false);
  /** The guest's own camera while on stage. */
  selfView = $state<LocalTrack | null>(null);
  stageNotice = $state<'cameraError' | 'removed' | null>(null);

  #room: Room | null = null;
  #destroyed = false;
  #firstToken: MediaToken | null;
  #opts: ViewerRoomOptions;
  #pollTimer: ReturnType<typeof setTimeout> | undefined;
  // Reconnecting after the media connection failed or dropped (e.g. the media server
  // restarted): a fresh token and a new connection, with backoff.
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #retries = 0;
  #connecting = false;
  /** What the room joined before hydration already plays, until the player takes it over. */
  #shownEarly: Shown | null = null;

  constructor(
    readonly streamId: string,
    initial: { status: StreamStatus; segment: Segment | null },
    opts: ViewerRoomOptions,
  ) {
    this.status = initial.status;
    this.segment = initial.segment;
    this.#firstToken = opts.token;
    this.#opts = opts;
  }

  /** Starts waiting for a planned stream; a live one is joined by connect(). */
  open(): void {
    if (this.status === 'scheduled') this.#pollUntilLive();
  }

  close(): void {
    this.#destroyed = true;
    clearTimeout(this.#pollTimer);
    clearTimeout(this.#retryTimer);
    void this.#room?.disconnect();
  }

  /**
   * The stream's status as heard over socket.io: an end is shown at once (and the LiveKit room
   * left cleanly before the server closes it); a start connects without waiting for the poll,
   * and so does a resume (the owner put an ended stream back on air): the page plays again.
   */
  hear(heard: StreamStatus | null): void {
    if (heard === 'ended' && this.status !== 'ended') {
      this.status = 'ended';
      clearTimeout(this.#pollTimer);
      clearTimeout(this.#retryTimer);
      void this.#room?.disconnect();
    } else if (heard === 'live' && this.status !== 'live') {
      this.#goneLive();
    }
  }

  /** Re-reads the status after the socket missed events (a start or a resume among them). */
  async refreshStatus(): Promise<void> {
    const next = await this.#fetchStatus();
    if (next === 'live' && this.status !== 'live') this.#goneLive();
    else this.status = next ?? this.status;
  }

  #goneLive() {
    this.status = 'live';
    clearTimeout(this.#pollTimer);
    this.#retries = 0;
    void this.connect();
  }

  #refreshTracks = () => {
    const room = this.#room;
    if (!room) return;
    const nextVideos: Tile[] = [];
    const nextAudios: Tile[] = [];
    for (const participant of room.remoteParticipants.values()) {
      collect(participant, nextVideos, nextAudios);
    }
    this.videos = nextVideos;
    this.audios = nextAudios;
    if (nextVideos.length === 0 && this.phase === 'playing') this.phase = 'waiting';
  };

  async #fetchStatus(): Promise<StreamStatus | null> {
    const res = await streamView(this.streamId);
    return res.ok ? res.data.stream.status : null;
  }

  /** Until the stream is live: ask every few seconds (sooner once the start time has passed). */
  #pollUntilLive() {
    clearTimeout(this.#pollTimer);
    if (this.#destroyed || this.status !== 'scheduled') return;
    const scheduledAt = this.#opts.scheduledAt();
    const soon = scheduledAt === null || scheduledAt.getTime() - Date.now() < 60_000;
    this.#pollTimer = setTimeout(() => void this.#checkStatus(), soon ? 3000 : 15_000);
  }

  async #checkStatus() {
    const next = await this.#fetchStatus();
    if (next) this.status = next;
    if (this.status === 'live') void this.connect();
    else this.#pollUntilLive();
  }

  /** Tries again after 0.5 s, doubling to 10 s (with jitter); gives up after a minute. */
  #reconnectLater() {
    clearTimeout(this.#retryTimer);
    if (this.#destroyed || this.status !== 'live') return;
    if (this.#retries >= MAX_RETRIES) {
      this.phase = 'error';
      return;
    }
    this.phase = 'reconnecting';
    const delay = backoffMs(this.#retries, 500, 0.5);
    this.#retries += 1;
    this.#retryTimer = setTimeout(() => void this.connect(), delay);
  }

  /** Joins the media room of a live stream, unless already in it or on the way. */
  async connect() {
    if (this.#destroyed || this.#room || this.#connecting || this.status !== 'live') return;
    this.#connecting = true;
    try {
      await this.#join();
    } finally {
      this.#connecting = false;
    }
  }

  /** After giving up: start counting tries afresh. */
  retry(): void {
    this.#retries = 0;
    void this.connect();
  }

  async #join() {
    if (this.phase !== 'reconnecting') this.phase = 'connecting';
    // The first connection uses the token rendered with the page; later ones ask afresh.
    const prefetched = this.#firstToken;
    this.#firstToken = null;
    const res = prefetched
      ? { ok: true as const, data: prefetched }
      : await mediaToken(this.streamId);
    if (!res.ok) {
      if (res.error.code === 'participant_removed') this.phase = 'removed';
      else if (res.error.code === 'members_only') this.phase = 'members';
      else if (res.error.code === 'stream_not_live') {
        this.status = (await this.#fetchStatus()) ?? this.status;
        this.phase = 'idle';
        if (this.status === 'scheduled') this.#pollUntilLive();
      } else this.#reconnectLater();
      return;
    }
    // The room hooks.client.ts began joining with this token before the page hydrated, if any.
    const early = prefetched ? adoptEarlyRoom(prefetched.token) : null;
    // Marks for bench:media's time-to-first-frame breakdown; cheap enough to keep.
    if (!early) performance.mark('live:connect');
    const next = early?.room ?? new Room(watchRoomOptions());
    this.#room = next;
    next
      .on(RoomEvent.TrackSubscribed, () => {
        performance.mark('live:subscribed');
        this.#refreshTracks();
      })
      .on(RoomEvent.TrackUnsubscribed, this.#refreshTracks)
      .on(RoomEvent.TrackPublished, this.#refreshTracks)
      .on(RoomEvent.TrackUnpublished, this.#refreshTracks)
      .on(RoomEvent.ParticipantConnected, this.#refreshTracks)
      .on(RoomEvent.ParticipantDisconnected, this.#refreshTracks)
      .on(RoomEvent.ParticipantMetadataChanged, this.#refreshTracks)
      .on(RoomEvent.SignalReconnecting, () => (this.phase = 'reconnecting'))
      .on(RoomEvent.Reconnecting, () => (this.phase = 'reconnecting'))
      .on(RoomEvent.Reconnected, () => (this.phase = this.videos.length ? 'playing' : 'waiting'))
      .on(RoomEvent.RoomMetadataChanged, (metadata) => {
        const segment = segmentFromRoomMetadata(metadata);
        if (segment !== undefined) this.segment = segment;
      })
      .on(RoomEvent.DataReceived, (payload, _participant, _kind, topic) => {
        if (topic !== 'linli') return;
        const notice = parseNotice(payload);
        if (notice?.type === 'cohost:invited') this.invited = true;
        if (notice?.type === 'cohost:removed') void this.leaveStage('removed');
      })
      .on(RoomEvent.ParticipantPermissionsChanged, () => {
        if (this.onStage && next.localParticipant.permissions?.canPublish === false) {
          void this.leaveStage('removed');
        }
      });
    try {
      if (!early) await next.connect(res.data.url, res.data.token);
      // an early room that failed, or was dropped before we took it, is left for a new one
      else if (!(await early.joined) || next.state === ConnectionState.Disconnected) {
        throw new Error('the early connection did not last');
      }
    } catch {
      this.#room = null;
      this.#reconnectLater();
      return;
    }
    // Only once connected: a failed connect is retried above, not twice.
    next.on(RoomEvent.Disconnected, (reason) => void this.#onDisconnected(reason));
    this.#retries = 0;
    performance.mark('live:connected');
    const initial = segmentFromRoomMetadata(next.metadata);
    if (initial !== undefined) this.segment = initial;
    // the picture may already play (it can start before the join completes, and before the
    // page hydrated if the early room showed it)
    const shown = early?.shown;
    this.#shownEarly = shown ?? null;
    if (shown && isPlaying(shown.element)) this.phase = 'playing';
    // (the video's playing event may have set the phase while we waited)
    else if ((this.phase as ViewerPhase) !== 'playing') this.phase = 'waiting';
    this.#refreshTracks();
    void this.#checkInvitation();
  }

  async #onDisconnected(reason: DisconnectReason | undefined) {
    this.#room = null;
    this.videos = [];
    this.audios = [];
    this.onStage = false;
    if (this.#destroyed) return;
    if (reason === DisconnectReason.PARTICIPANT_REMOVED) {
      this.phase = 'removed';
      return;
    }
    this.phase = 'reconnecting';
    this.status = (await this.#fetchStatus()) ?? this.status;
    if (this.status === 'live') this.#reconnectLater();
    else this.phase = 'idle';
  }

  async #checkInvitation() {
    if (!this.#opts.signedIn()) return;
    const res = await myStage(this.streamId);
    if (res.ok) this.invited = res.data.cohost === 'invited';
  }

  async joinStage() {
    const res = await acceptCohost(this.streamId);
    this.invited = false;
    const room = this.#room;
    if (!res.ok || !room) return;
    const local = room.localParticipant;
    // The server widens our grants in place; wait for them before publishing.
    for (let i = 0; i < 30 && !local.permissions?.canPublish; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    try {
      await local.setCameraEnabled(true);
      await local.setMicrophoneEnabled(true);
      const camera = local.getTrackPublication(Track.Source.Camera)?.track;
      this.selfView = camera?.kind === Track.Kind.Video ? camera : null;
      this.onStage = true;
      this.stageNotice = null;
    } catch {
      this.stageNotice = 'cameraError';
    }
  }

  async leaveStage(why: 'removed' | null) {
    const room = this.#room;
    if (!room) return;
    this.onStage = false;
    this.selfView = null;
    this.stageNotice = why;
    await room.localParticipant.setCameraEnabled(false).catch(() => undefined);
    await room.localParticipant.setMicrophoneEnabled(false).catch(() => undefined);
  }

  async unmute() {
    this.muted = false;
    await this.#room?.startAudio();
  }

  /** The main video shows frames. */
  playing(): void {
    this.phase = 'playing';
  }

  /**
   * The track the early room (early-room.ts) put into `element` before the page hydrated,
   * handed over once to the player that now owns the element.
   */
  takeShownEarly(element: HTMLMediaElement): RemoteTrack | null {
    if (this.#shownEarly?.element !== element) return null;
    const { track } = this.#shownEarly;
    this.#shownEarly = null;
    return track;
  }
}

function isPlaying(media: HTMLMediaElement): boolean {
  return !media.paused && media.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA;
}

function collect(p: RemoteParticipant, v: Tile[], a: Tile[]) {
  const role = roleFromMetadata(p.metadata);
  for (const pub of p.trackPublications.values()) {
    const track = pub.track;
    if (!track || !pub.isSubscribed) continue;
    const tile = {
      key: `${p.identity}:${pub.trackSid}`,
      identity: p.identity,
      name: p.name ?? '',
      role,
      source: pub.source,
      track,
    };
    if (track.kind === Track.Kind.Video) v.push(tile);
    else if (track.kind === Track.Kind.Audio) a.push(tile);
  }
}
