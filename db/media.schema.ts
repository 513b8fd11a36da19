import type { ColumnType, Generated, Selectable } from 'kysely';

// Tables of the media capability, merged into DB in schema.ts.

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type Segment = 'sourcing' | 'kitchen' | 'tasting' | 'qa';
export type CohostStatus = 'invited' | 'accepted' | 'revoked';

export interface StreamSegmentsTable {
  id: Generated<string>;
  stream_id: string;
  /** null: the owner cleared the label */
  segment: Segment | null;
  set_by: string;
  started_at: CreatedAt;
}

export interface StreamCohostsTable {
  stream_id: string;
  user_id: string;
  invited_by: string;
  status: Generated<CohostStatus>;
  /** reset when a user is invited again after a take-back */
  invited_at: ColumnType<Date, Date | string | undefined, Date | string>;
  accepted_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface StreamRemovedParticipantsTable {
  stream_id: string;
  user_id: string;
  removed_by: string;
  removed_at: CreatedAt;
}

export interface LivekitWebhookEventsTable {
  id: string;
  event: string;
  room_name: string | null;
  created_at: Timestamp;
  received_at: CreatedAt;
}

export interface ParticipantSessionsTable {
  participant_sid: string;
  stream_id: string;
  /** Our user id, or a visitor-… identity for a viewer who is not signed in. */
  identity: string;
  joined_at: Timestamp;
  left_at: Timestamp | null;
}

export interface MediaTables {
  stream_segments: StreamSegmentsTable;
  stream_cohosts: StreamCohostsTable;
  stream_removed_participants: StreamRemovedParticipantsTable;
  livekit_webhook_events: LivekitWebhookEventsTable;
  participant_sessions: ParticipantSessionsTable;
}

export type StreamSegmentRow = Selectable<StreamSegmentsTable>;
export type StreamCohostRow = Selectable<StreamCohostsTable>;
export type ParticipantSessionRow = Selectable<ParticipantSessionsTable>;
