// The studio's side of a LiveKit room: the owner's camera and microphone, going live and
// ending, staying live through a dropped connection, the segment label and the co-hosts on
// stage. Its state is runes, so the studio page and its components read it directly.
import {
  ConnectionQuality,
  DisconnectReason,
  Room,
  RoomEvent,
  Track,
  VideoPresets,
  createLocalTracks,
  type LocalAudioTrack,
  type LocalTrack,
  type LocalVideoTrack,
  type RemoteTrack,
} from 'livekit-client';
import type { Segment, StreamStatus } from '#lib/api/contracts.ts';
import {
  endStream,
  inviteCohost,
  mediaToken,
  resumeStream,
  revokeCohost,
  setSegment,
  startStream,
} from '#lib/stream/api.ts';
import { roleFromMetadata } from './attach.ts';
import { backoffMs, reconnectPolicy } from './reconnect.ts';

/** How long after ending a stream can be resumed (the server's RESUME_WINDOW_MS). */
export const RESUME_WINDOW_MS = 2 * 60 * 60 * 1000;

export type StudioLink = 'offline' | 'connecting' | 'connected' | 'reconnecting';
export type StudioProblem = 'permission' | 'start' | 'media' | 'generic' | 'resumeExpired';
export type QualityKey = 'excellent' | 'good' | 'poor' | 'lost' | 'unknown';

export interface StudioGuest {
  userId: string;
  state: 'invited' | 'onStage';
  name: string;
  track: RemoteTrack | null;
}

const QUALITY_KEYS: Record<ConnectionQuality, QualityKey> = {
  [ConnectionQuality.Excellent]: 'excellent',
  [ConnectionQuality.Good]: 'good',
  [ConnectionQuality.Poor]: 'poor',
  [ConnectionQuality.Lost]: 'lost',
  [ConnectionQuality.Unknown]: 'unknown',
};

/** Our own tries after a room dropped while live, each with a fresh token: about a minute. */
const MAX_RECOVERIES = 10;

export class StudioRoom {
  status = $state<StreamStatus>('scheduled');
  segment = $state<Segment | null>(null);

  videoTrack = $state<LocalVideoTrack | null>(null);
  audioTrack = $state<LocalAudioTrack | null>(null);
  cameras = $state<MediaDeviceInfo[]>([]);
  microphones = $state<MediaDeviceInfo[]>([]);
  cameraId = $state('');
  microphoneId = $state('');
  micMuted = $state(false);
  cameraMuted = $state(false);
  sharing = $state(false);
  busy = $state<'start' | 'end' | null>(null);
  problem = $state<StudioProblem | null>(null);
  /** When the stream ended, in ms (it may be resumed within RESUME_WINDOW_MS); null otherwise. */
  endedAt = $state<number | null>(null);

  link = $state<StudioLink>('offline');
  quality = $state<ConnectionQuality>(ConnectionQuality.Unknown);
  participants = $state(0);
  guests = $state<StudioGuest[]>([]);

  readonly qualityKey: QualityKey = $derived(QUALITY_KEYS[this.quality]);
  /** Everyone in the room but the owner and the guests on stage. */
  readonly viewers: number = $derived(
    Math.max(0, this.participants - 1 - this.guests.filter((g) => g.state === 'onStage').length),
  );

  #room: Room | null = null;
  #leaving = false;
  // A reconnect loop is running (#onDisconnected): rooms it gives up on must not start another.
  #recovering = false;
  // The shared screen, stopped here: unpublishing no longer stops tracks (#connectAndPublish).
  #screenTrack: LocalTrack | undefined;

  constructor(
    readonly streamId: string,
    initial: { status: StreamStatus; segment: Segment | null; endedAt?: string | null },
  ) {
    this.status = initial.status;
    this.endedAt = initial.endedAt ? Date.parse(initial.endedAt) : null;
    this.segment = initial.segment;
  }

  /** Ended a short while ago: the owner may still resume (the server has the last word). */
  get resumable(): boolean {
    return (
      this.status === 'ended' &&
      this.endedAt !== null &&
      Date.now() - this.endedAt < RESUME_WINDOW_MS
    );
  }

  /** Live and in the room: leaving the page now would cut the stream off. */
  get onAir(): boolean {
    return this.status === 'live' && this.#room !== null;
  }

  /** Opens the camera and microphone for the preview and follows devices coming and going. */
  open(): () => void {
    void this.#openPreview();
    const onDeviceChange = () => void this.#listDevices();
    navigator.mediaDevices?.addEventListener('devicechange', onDeviceChange);
    return () => navigator.mediaDevices?.removeEventListener('devicechange', onDeviceChange);
  }

  /** Leaves the room and stops the camera and microphone. */
  close(): void {
    this.#leaving = true;
    void this.#room?.disconnect();
    this.videoTrack?.stop();
    this.audioTrack?.stop();
  }

  async #listDevices() {
    const all = await navigator.mediaDevices.enumerateDevices();
    this.cameras = all.filter((d) => d.kind === 'videoinput' && d.deviceId);
    this.microphones = all.filter((d) => d.kind === 'audioinput' && d.deviceId);
  }

  async #openPreview() {
    try {
      const tracks = await createLocalTracks({
        audio: { echoCancellation: true, noiseSuppression: true },
        video: { resolution: VideoPresets.h720.resolution },
      });
      for (const track of tracks) {
        if (track.kind === Track.Kind.Video) this.videoTrack = track as LocalVideoTrack;
        if (track.kind === Track.Kind.Audio) this.audioTrack = track as LocalAudioTrack;
      }
      await this.#listDevices();
      this.cameraId = (await this.videoTrack?.getDeviceId()) ?? this.cameras[0]?.deviceId ?? '';
      this.microphoneId =
        (await this.audioTrack?.getDeviceId()) ?? this.microphones[0]?.deviceId ?? '';
    } catch {
      this.problem = 'permission';
    }
  }

  /**
   * Switches the camera in place (to the next one without `deviceId`): the track restarts on
   * the new device and the sender's track is replaced, so viewers keep the same subscription
   * and never see the stream drop.
   */
  async switchCamera(deviceId?: string) {
    if (!this.videoTrack) return;
    const cameras = this.cameras;
    const next =
      (cameras.findIndex((c) => c.deviceId === this.cameraId) + 1) % Math.max(1, cameras.length);
    const target = deviceId ?? cameras[next]?.deviceId;
    if (!target) return;
    try {
      await this.videoTrack.setDeviceId(target);
      this.cameraId = target;
    } catch {
      this.problem = 'media';
    }
  }

  async switchMicrophone(deviceId: string) {
    if (!this.audioTrack) return;
    try {
      await this.audioTrack.setDeviceId(deviceId);
      this.microphoneId = deviceId;
    } catch {
      this.problem = 'media';
    }
  }

  async toggleMic() {
    if (!this.audioTrack) return;
    if (this.micMuted) await this.audioTrack.unmute();
    else await this.audioTrack.mute();
    this.micMuted = !this.micMuted;
  }

  async toggleCamera() {
    if (!this.videoTrack) return;
    if (this.cameraMuted) await this.videoTrack.unmute();
    else await this.videoTrack.mute();
    this.cameraMuted = !this.cameraMuted;
  }

  #stopScreen() {
    this.#screenTrack?.stop();
    this.#screenTrack = undefined;
  }

  async toggleShare() {
    const room = this.#room;
    if (!room) return;
    try {
      const pub = await room.localParticipant.setScreenShareEnabled(!this.sharing, {
        audio: false,
      });
      this.sharing = room.localParticipant.isScreenShareEnabled;
      if (this.sharing) this.#screenTrack = pub?.track;
      else this.#stopScreen();
    } catch {
      this.sharing = false;
    }
  }

  #refreshGuests = () => {
    const room = this.#room;
    if (!room) return;
    this.participants = room.numParticipants;
    const onStage: Record<string, { name: string; track: RemoteTrack | null }> = {};
    for (const p of room.remoteParticipants.values()) {
      if (roleFromMetadata(p.metadata) !== 'cohost') continue;
      const pub = p.getTrackPublication(Track.Source.Camera);
      onStage[p.identity] = { name: p.name ?? '', track: pub?.track ?? null };
    }
    const next: StudioGuest[] = this.guests
      .filter((g) => g.state === 'invited' || g.userId in onStage)
      .map((g) => {
        const live = onStage[g.userId];
        return live ? { ...g, state: 'onStage', name: live.name, track: live.track } : g;
      });
    for (const [userId, live] of Object.entries(onStage)) {
      if (!next.some((g) => g.userId === userId)) next.push({ userId, state: 'onStage', ...live });
    }
    this.guests = next;
  };

  // Whatever room #room holds now: TypeScript would keep an older narrowing across awaits.
  #currentRoom(): Room | null {
    return this.#room;
  }

  async #connectAndPublish() {
    const token = await mediaToken(this.streamId, 'host');
    if (!token.ok) throw new Error(token.error.code);
    const next = new Room({
      adaptiveStream: true,
      dynacast: true,
      reconnectPolicy: reconnectPolicy(),
      publishDefaults: { simulcast: true, videoCodec: 'vp8' },
      // A dropped room must not stop the camera and microphone: the preview keeps showing
      // them and the next room publishes them again. Ending or leaving stops them.
      stopLocalTrackOnUnpublish: false,
    });
    this.#room = next;
    this.link = 'connecting';
    next
      .on(RoomEvent.Reconnecting, () => (this.link = 'reconnecting'))
      .on(RoomEvent.SignalReconnecting, () => (this.link = 'reconnecting'))
      .on(RoomEvent.Reconnected, () => (this.link = 'connected'))
      .on(RoomEvent.ConnectionQualityChanged, (q, participant) => {
        if (participant.isLocal) this.quality = q;
      })
      .on(RoomEvent.ParticipantConnected, this.#refreshGuests)
      .on(RoomEvent.ParticipantDisconnected, this.#refreshGuests)
      .on(RoomEvent.ParticipantMetadataChanged, this.#refreshGuests)
      .on(RoomEvent.TrackSubscribed, this.#refreshGuests)
      .on(RoomEvent.TrackUnsubscribed, this.#refreshGuests)
      .on(RoomEvent.RoomMetadataChanged, this.#refreshGuests)
      .on(RoomEvent.LocalTrackUnpublished, (pub) => {
        if (pub.source === Track.Source.ScreenShare) this.sharing = false;
      })
      .on(RoomEvent.Disconnected, (reason) => {
        // a room already given up on (see #onDisconnected) is not the studio's any more
        if (this.#room === next) void this.#onDisconnected(reason);
      });
    await next.connect(token.data.url, token.data.token);
    this.link = 'connected';
    this.quality = next.localParticipant.connectionQuality;
    if (this.videoTrack) {
      await next.localParticipant.publishTrack(this.videoTrack, {
        source: Track.Source.Camera,
        simulcast: true,
        videoEncoding: VideoPresets.h720.encoding,
      });
    }
    if (this.audioTrack) {
      await next.localParticipant.publishTrack(this.audioTrack, {
        source: Track.Source.Microphone,
      });
    }
    this.#refreshGuests();
  }

  async #onDisconnected(reason: DisconnectReason | undefined) {
    this.#room = null;
    this.sharing = false;
    this.#stopScreen(); // the next room publishes the camera, not the screen
    this.quality = ConnectionQuality.Unknown;
    if (this.#leaving || this.status !== 'live' || reason === DisconnectReason.ROOM_DELETED) {
      this.link = 'offline';
      return;
    }
    // Dropped while live: keep trying with a fresh token, the preview tracks stay ours.
    this.link = 'reconnecting';
    if (this.#recovering) return;
    this.#recovering = true;
    try {
      for (
        let attempt = 0;
        attempt < MAX_RECOVERIES && !this.#leaving && this.status === 'live';
        attempt++
      ) {
        await new Promise((r) => setTimeout(r, backoffMs(attempt, 1000)));
        try {
          await this.#connectAndPublish();
          return;
        } catch {
          // #connectAndPublish may have left a half-open room behind; keep our tracks
          void this.#currentRoom()?.disconnect(false);
          this.#room = null;
        }
      }
      this.link = 'offline';
      this.problem = 'start';
    } finally {
      this.#recovering = false;
    }
  }

  /**
   * Going on air, first or again: one attempt at a time; `prepare` asks the server (false:
   * it said no, and set the problem), then we publish. Any other failure is 'start'.
   */
  async #goOnAir(prepare: () => Promise<boolean>) {
    if (this.busy) return;
    this.busy = 'start';
    this.problem = null;
    try {
      if (!(await prepare())) return;
      await this.#connectAndPublish();
    } catch {
      this.problem = 'start';
      this.link = this.#currentRoom() ? this.link : 'offline';
    } finally {
      this.busy = null;
    }
  }

  goLive() {
    return this.#goOnAir(async () => {
      const started = await startStream(this.streamId);
      if (!started.ok) throw new Error(started.error.code);
      this.status = started.data.stream.status;
      return true;
    });
  }

  /**
   * Back on air after ending (within 2 hours): the server reopens the same room, then we
   * publish again; watchers that kept the page open hear `stream:status` and reconnect.
   */
  resume() {
    return this.#goOnAir(async () => {
      // Ending stopped the camera and microphone: open them again before going back on air.
      const stopped = (track: LocalTrack | null | undefined) =>
        !track || track.mediaStreamTrack.readyState === 'ended';
      if (stopped(this.videoTrack) || stopped(this.audioTrack)) {
        this.videoTrack?.stop();
        this.audioTrack?.stop();
        await this.#openPreview();
        if (this.problem) return false;
      }
      const resumed = await resumeStream(this.streamId);
      if (!resumed.ok) {
        if (resumed.error.code === 'resume_expired') this.endedAt = null;
        this.problem = resumed.error.code === 'resume_expired' ? 'resumeExpired' : 'start';
        return false;
      }
      this.status = resumed.data.stream.status;
      this.endedAt = null;
      this.#leaving = false;
      return true;
    });
  }

  async end() {
    if (this.busy) return;
    this.busy = 'end';
    try {
      // Leave the room first, so the server's closing it does not tear down our connection
      // mid-flight; if ending then fails, the owner can press End again.
      this.#leaving = true;
      await this.#room?.disconnect();
      this.link = 'offline';
      const ended = await endStream(this.streamId);
      if (!ended.ok) throw new Error(ended.error.code);
      this.status = ended.data.stream.status;
      this.endedAt = ended.data.stream.endedAt ? Date.parse(ended.data.stream.endedAt) : Date.now();
    } catch {
      this.problem = 'generic';
    } finally {
      this.busy = null;
    }
  }

  async chooseSegment(next: Segment | null) {
    const previous = this.segment;
    this.segment = next;
    const res = await setSegment(this.streamId, next);
    if (!res.ok) {
      this.segment = previous;
      this.problem = 'generic';
    }
  }

  /** Invites a viewer on stage; false when the server refused (the problem is shown). */
  async invite(userId: string): Promise<boolean> {
    const res = await inviteCohost(this.streamId, userId);
    if (!res.ok) {
      this.problem = 'generic';
      return false;
    }
    if (!this.guests.some((g) => g.userId === userId)) {
      this.guests = [...this.guests, { userId, state: 'invited', name: '', track: null }];
    }
    return true;
  }

  async takeBack(userId: string) {
    const res = await revokeCohost(this.streamId, userId);
    if (res.ok || res.error.code === 'not_found') {
      this.guests = this.guests.filter((g) => g.userId !== userId);
    } else {
      this.problem = 'generic';
    }
  }
}
