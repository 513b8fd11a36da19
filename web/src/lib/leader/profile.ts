// What a resident tells a shop about themselves to lead for it, whether applying or
// accepting an invitation: one set of fields, limits and checks for both forms. The limits
// mirror the API's (server/routes/leader.routes.ts, LeaderProfileBody); the API stays the
// authority.
import type { FieldError } from '../auth/validation';

export const PROFILE_MAX_LENGTH = {
  displayName: 40,
  community: 60,
  pickupAddress: 200,
  pickupHours: 100,
} as const;

const PROFILE_FIELDS = ['displayName', 'community', 'pickupAddress', 'pickupHours'] as const;

export interface LeaderProfileDraft {
  displayName: string;
  community: string;
  pickupAddress: string;
  pickupHours: string;
}

export interface LeaderProfileBody {
  displayName: string;
  community?: string;
  pickupAddress?: string;
  pickupHours?: string;
}

export function emptyProfile(displayName = ''): LeaderProfileDraft {
  return { displayName, community: '', pickupAddress: '', pickupHours: '' };
}

/** Only the name is required; every field has a length limit. */
export function checkProfile(draft: LeaderProfileDraft): FieldError | null {
  if (draft.displayName.trim() === '') return { key: 'validation.nameRequired' };
  for (const field of PROFILE_FIELDS) {
    if ([...draft[field].trim()].length > PROFILE_MAX_LENGTH[field]) {
      return { key: 'leader.apply.invalid' };
    }
  }
  return null;
}

/** The JSON body: trimmed, with blank optional fields left out. */
export function profileBody(draft: LeaderProfileDraft): LeaderProfileBody {
  const body: LeaderProfileBody = { displayName: draft.displayName.trim() };
  const community = draft.community.trim();
  const pickupAddress = draft.pickupAddress.trim();
  const pickupHours = draft.pickupHours.trim();
  if (community) body.community = community;
  if (pickupAddress) body.pickupAddress = pickupAddress;
  if (pickupHours) body.pickupHours = pickupHours;
  return body;
}
