import type { Selectable } from 'kysely';
import type { CreatedAt } from './schema';

// The shop's private domain (issue 17): who joined which shop, and through which leader.

export interface ShopMembersTable {
  shop_id: string;
  user_id: string;
  /** the leader of the member's last click on the shop when they joined; null: none */
  leader_id: string | null;
  created_at: CreatedAt;
}

export interface MembersTables {
  shop_members: ShopMembersTable;
}

export type ShopMemberRow = Selectable<ShopMembersTable>;
