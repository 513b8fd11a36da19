// The owner's moderation settings of one shop as runes: its moderators, its approved leaders
// (to invite on stage or appoint) and its blocked words. The studio and the shop-admin
// moderation page share it.
import { leaderBoard, type Leader } from '../leader/api.ts';
import {
  appointModerator,
  blockedWords,
  dismissModerator,
  moderators,
  saveBlockedWords,
  type Moderator,
} from './api.ts';

export type WordsState = 'idle' | 'saving' | 'saved' | 'failed';

export class ShopModeration {
  moderators = $state<Moderator[]>([]);
  leaders = $state<Leader[]>([]);
  words = $state<string[]>([]);
  wordsState = $state<WordsState>('idle');
  /** The last refusal, as the server's error code, for the card to explain. */
  problem = $state<string | null>(null);
  loaded = $state(false);

  constructor(readonly shopId: string) {}

  async load(): Promise<void> {
    const [mods, board, list] = await Promise.all([
      moderators(this.shopId),
      leaderBoard(this.shopId),
      blockedWords(this.shopId),
    ]);
    if (mods.ok) this.moderators = mods.data.moderators;
    if (board.ok) {
      this.leaders = board.data.leaders
        .map((row) => row.leader)
        .filter((leader) => leader.status === 'approved');
    }
    if (list.ok) this.words = list.data.words;
    this.loaded = true;
  }

  isModerator(userId: string): boolean {
    return this.moderators.some((m) => m.userId === userId);
  }

  async appoint(userId: string): Promise<boolean> {
    this.problem = null;
    const res = await appointModerator(this.shopId, userId);
    if (!res.ok) {
      this.problem = res.error.code;
      return false;
    }
    const moderator = res.data.moderator;
    if (!this.isModerator(moderator.userId)) this.moderators = [...this.moderators, moderator];
    return true;
  }

  async dismiss(userId: string): Promise<boolean> {
    this.problem = null;
    const res = await dismissModerator(this.shopId, userId);
    if (!res.ok && res.error.code !== 'not_found') {
      this.problem = res.error.code;
      return false;
    }
    this.moderators = this.moderators.filter((m) => m.userId !== userId);
    return true;
  }

  /** Saves the whole list: the next comment is checked against it, on every server. */
  async saveWords(words: string[]): Promise<boolean> {
    this.wordsState = 'saving';
    const res = await saveBlockedWords(this.shopId, words);
    if (!res.ok) {
      this.wordsState = 'failed';
      return false;
    }
    this.words = res.data.words;
    this.wordsState = 'saved';
    return true;
  }
}
