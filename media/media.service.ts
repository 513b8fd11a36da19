import {
  AccessToken,
  DataPacket_Kind,
  RoomServiceClient,
  TrackSource,
  WebhookReceiver,
  type VideoGrant,
} from 'livekit-server-sdk';

/** What a token lets its holder do in a stream's room (SPEC.md, "Media grants"). */
export type MediaRole = 'host' | 'cohost' | 'viewer';

/** The typed metadata every stream room carries. */
export interface RoomMetadata {
  streamId: string;
  shopId: string;
  title: string;
  segment: string | null;
}

/** A verified webhook event, reduced to what the app records. */
export interface MediaWebhookEvent {
  id: string;
  event: string;
  createdAt: Date;
  roomName: string | null;
  /**
   * `canPublish`: what the participant may do as the media server sees it right now.
   * `recorder`: it is the recorder (LiveKit Egress), which subscribes like a viewer.
   */
  participant: { sid: string; identity: string; canPublish: boolean; recorder: boolean } | null;
}

/** Messages the server sends participants over LiveKit's data channel. */
export type MediaNotice =
  { type: 'cohost:invited'; streamId: string } | { type: 'cohost:removed'; streamId: string };

export const NOTICE_TOPIC = 'linli';

export class WebhookRejectedError extends Error {
  override name = 'WebhookRejectedError';
}

/** The one place the rest of the app reaches LiveKit through. */
export interface MediaService {
  /** The LiveKit URL browsers connect to. */
  publicUrl: string;
  health(): Promise<{ ok: boolean; latencyMs?: number; error?: string }>;
  /** Creates (or updates) the room of a stream with its metadata. */
  openRoom(room: string, metadata: RoomMetadata): Promise<void>;
  updateRoomMetadata(room: string, metadata: RoomMetadata): Promise<void>;
  /**
   * Closes the room: every participant is disconnected. With `graceMs`, participants (told
   * over the realtime channel that the stream ended) first get that long to leave by
   * themselves, which closes their connections cleanly. A missing room is not an error.
   */
  closeRoom(room: string, opts?: { graceMs?: number }): Promise<void>;
  /** A join token for `identity` with the grants of `role` in `room`. */
  token(opts: { room: string; identity: string; name: string; role: MediaRole }): Promise<string>;
  /** Disconnects a participant now; a participant not in the room is not an error. */
  removeParticipant(room: string, identity: string): Promise<void>;
  /** Gives a connected participant the grants of `role` (e.g. on stage, or back to viewer). */
  setParticipantRole(room: string, identity: string, role: MediaRole): Promise<boolean>;
  /** Sends a small JSON message (topic "linli") to the given identities in a room. */
  notify(room: string, identities: string[], message: MediaNotice): Promise<void>;
  /** Checks a webhook's signature against the body; throws WebhookRejectedError. */
  verifyWebhook(body: string, authorization: string | undefined): Promise<MediaWebhookEvent>;
}

/** Grants per role. Viewers subscribe and nothing else: no publishing, no data. */
export function grantsFor(role: MediaRole, room: string): VideoGrant {
  switch (role) {
    case 'host':
      return {
        room,
        roomJoin: true,
        canSubscribe: true,
        canPublish: true,
        canPublishData: true,
        canPublishSources: [
          TrackSource.CAMERA,
          TrackSource.MICROPHONE,
          TrackSource.SCREEN_SHARE,
          TrackSource.SCREEN_SHARE_AUDIO,
        ],
      };
    case 'cohost':
      return {
        room,
        roomJoin: true,
        canSubscribe: true,
        canPublish: true,
        canPublishData: false,
        canPublishSources: [TrackSource.CAMERA, TrackSource.MICROPHONE],
      };
    case 'viewer':
      return {
        room,
        roomJoin: true,
        canSubscribe: true,
        canPublish: false,
        canPublishData: false,
        canPublishSources: [],
      };
  }
}

/** livekit-server's answer that there is no such room or participant. */
export function isNotFound(err: unknown): boolean {
  // RoomServiceClient rejects with a TwirpError whose status is 404 / code "not_found"
  if (typeof err !== 'object' || err === null) return false;
  const status = 'status' in err ? err.status : undefined;
  const code = 'code' in err ? err.code : undefined;
  return status === 404 || code === 'not_found';
}

/** How long a token that can publish opens the room (the owner's studio asks afresh). */
export const PUBLISHER_TOKEN_TTL = '10m';

/** How long health() waits for the media server before calling it down. */
const HEALTH_TIMEOUT_MS = 2000;

export function createMediaService(opts: {
  url: string;
  publicUrl?: string;
  apiKey: string;
  apiSecret: string;
}): MediaService {
  const httpUrl = opts.url.replace(/^ws/, 'http');
  const rooms = new RoomServiceClient(httpUrl, opts.apiKey, opts.apiSecret);
  const receiver = new WebhookReceiver(opts.apiKey, opts.apiSecret);
  return {
    publicUrl: opts.publicUrl ?? opts.url,
    async health() {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        // An authenticated call: proves the server is up and our keys are accepted. Bounded,
        // so a media server that accepts connections but never answers reads as down.
        await Promise.race([
          rooms.listRooms(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('timed out')), HEALTH_TIMEOUT_MS);
          }),
        ]);
        return { ok: true, latencyMs: Math.round(performance.now() - started) };
      } catch (err) {
        return { ok: false, error: err instanceof Error ? err.message : 'unreachable' };
      } finally {
        clearTimeout(timer);
      }
    },
    async openRoom(room, metadata) {
      // Long timeouts: the owner may go live a while before publishing, or drop out for a
      // while; only the app closes a stream's room (ending it), and only the app opens one
      // (livekit.yaml: auto_create false), so a room gone by timeout waits for the owner.
      await rooms.createRoom({
        name: room,
        metadata: JSON.stringify(metadata),
        emptyTimeout: 3_600,
        departureTimeout: 1_200,
      });
      await rooms.updateRoomMetadata(room, JSON.stringify(metadata));
    },
    async updateRoomMetadata(room, metadata) {
      try {
        await rooms.updateRoomMetadata(room, JSON.stringify(metadata));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
    async closeRoom(room, { graceMs = 0 } = {}) {
      const deadline = Date.now() + graceMs;
      while (Date.now() < deadline) {
        const left = await rooms.listParticipants(room).catch((err: unknown) => {
          if (isNotFound(err)) return [];
          throw err;
        });
        if (left.length === 0) break;
        await new Promise((r) => setTimeout(r, 150));
      }
      try {
        await rooms.deleteRoom(room);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
    async token({ room, identity, name, role }) {
      const token = new AccessToken(opts.apiKey, opts.apiSecret, {
        identity,
        name,
        // A token is only needed to join: a connected participant gets fresh ones from the
        // media server, carrying its grants as they are then. Tokens that can publish live
        // minutes, so one kept after the stage was taken back soon stops opening the room.
        ttl: role === 'viewer' ? '6h' : PUBLISHER_TOKEN_TTL,
        metadata: JSON.stringify({ role }),
      });
      token.addGrant(grantsFor(role, room));
      return token.toJwt();
    },
    async removeParticipant(room, identity) {
      try {
        // revokeTokenTs asks the media server to refuse tokens issued before now; livekit-server
        // v1.13.5 ignores it, so a rejoin with an old token is caught by the stage guard
        // (server/services/stage-guard.service.ts) when the participant_joined webhook arrives.
        await rooms.removeParticipant(room, identity, {
          revokeTokenTs: BigInt(Math.floor(Date.now() / 1000)),
        });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
    async setParticipantRole(room, identity, role) {
      const grant = grantsFor(role, room);
      try {
        await rooms.updateParticipant(room, identity, {
          permission: {
            canSubscribe: grant.canSubscribe ?? false,
            canPublish: grant.canPublish ?? false,
            canPublishData: grant.canPublishData ?? false,
            canPublishSources: grant.canPublishSources ?? [],
          },
          metadata: JSON.stringify({ role }),
        });
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    },
    async notify(room, identities, message) {
      try {
        await rooms.sendData(
          room,
          new TextEncoder().encode(JSON.stringify(message)),
          DataPacket_Kind.RELIABLE,
          { destinationIdentities: identities, topic: NOTICE_TOPIC },
        );
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
    async verifyWebhook(body, authorization) {
      if (!authorization) throw new WebhookRejectedError('unsigned');
      let event;
      try {
        event = await receiver.receive(body, authorization);
      } catch (err) {
        throw new WebhookRejectedError(err instanceof Error ? err.message : 'rejected');
      }
      if (!event.id || !event.event) throw new WebhookRejectedError('event without id');
      return {
        id: event.id,
        event: event.event,
        createdAt: new Date(Number(event.createdAt) * 1000),
        roomName: event.room?.name || null,
        participant: event.participant
          ? {
              sid: event.participant.sid,
              identity: event.participant.identity,
              canPublish: event.participant.permission?.canPublish ?? false,
              // ParticipantInfo.Kind EGRESS (2)
              recorder:
                Number(event.participant.kind) === 2 ||
                event.participant.identity.startsWith('EG_'),
            }
          : null,
      };
    },
  };
}
