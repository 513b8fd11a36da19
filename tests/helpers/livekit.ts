import { RoomServiceClient } from 'livekit-server-sdk';
import { inject } from 'vitest';
import { DEV_LIVEKIT_KEY, DEV_LIVEKIT_SECRET } from '../../server/config';

/**
 * A livekit-server's room API (by default the one the integration tests share), to see
 * which rooms are open and who is in them.
 */
export function roomService(
  httpUrl = inject('livekitUrl').replace(/^ws/, 'http'),
): RoomServiceClient {
  return new RoomServiceClient(httpUrl, DEV_LIVEKIT_KEY, DEV_LIVEKIT_SECRET);
}
