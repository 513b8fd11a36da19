// The studio's stage helpers that sit beside StudioRoom: invitations remember the invitee's
// name (from their comment or the leader list) until the room itself knows it.
import type { StudioRoom } from './studio-room.svelte.ts';

/** Invites someone on stage; their name shows in the stage list while they are invited. */
export async function inviteNamed(
  room: StudioRoom,
  userId: string,
  name: string,
): Promise<boolean> {
  const ok = await room.invite(userId);
  if (ok) {
    room.guests = room.guests.map((g) => (g.userId === userId && !g.name ? { ...g, name } : g));
  }
  return ok;
}
