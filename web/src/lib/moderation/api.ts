// A shop's moderation settings, for the owner: its moderators and its blocked words. One
// function per API call, each answer checked at runtime against its contract schema.
import { api, done, read, type Api } from '../api/client.ts';
import { BlockedWords, ModeratorEnvelope, ModeratorList } from '../api/contracts.ts';

export type { Moderator } from '../api/contracts.ts';

const shop = (shopId: string) => ({ params: { path: { shopId } } });

export const moderators = (shopId: string, client: Api = api) =>
  read(client.GET('/api/shops/{shopId}/moderators', shop(shopId)), ModeratorList);

export const appointModerator = (shopId: string, userId: string) =>
  read(
    api.POST('/api/shops/{shopId}/moderators', { ...shop(shopId), body: { userId } }),
    ModeratorEnvelope,
  );

export const dismissModerator = (shopId: string, userId: string) =>
  done(
    api.DELETE('/api/shops/{shopId}/moderators/{userId}', {
      params: { path: { shopId, userId } },
    }),
  );

export const blockedWords = (shopId: string, client: Api = api) =>
  read(client.GET('/api/shops/{shopId}/blocked-words', shop(shopId)), BlockedWords);

export const saveBlockedWords = (shopId: string, words: string[]) =>
  read(
    api.PUT('/api/shops/{shopId}/blocked-words', { ...shop(shopId), body: { words } }),
    BlockedWords,
  );

/** The words typed in one box, split on commas, 、, spaces or new lines; duplicates dropped. */
export function parseWords(text: string): string[] {
  const words = text
    .split(/[,，、;；\s]+/u)
    .map((w) => w.trim())
    .filter(Boolean);
  return [...new Set(words)];
}
