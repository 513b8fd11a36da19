import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ShopAfterSalesColumns } from './after-sales.schema';
import type { CommerceTables, OfferCommerceColumns } from './commerce.schema';
import type { LeadersTables } from './leaders.schema';
import type { MediaTables } from './media.schema';
import type { MembersTables } from './members.schema';
import type { RatingsTables } from './ratings.schema';
import type { RealtimeTables } from './realtime.schema';
import type { RecordingsTables } from './recordings.schema';
import type { NotificationsTables } from './notifications.schema';
import type { TrustTables } from './trust.schema';
import type { PayoutsTables } from './payouts.schema';
import type { WaitlistTables } from './waitlist.schema';

// Row types of the database, one interface per table, columns in snake_case.
// Kept by hand beside the migrations; tests run every migration from empty against them.

export type CreatedAt = ColumnType<Date, never, never>;
export type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface UsersTable {
  id: Generated<string>;
  email: string | null;
  name: string;
  password_hash: string | null;
  is_guest: Generated<boolean>;
  locale: string | null;
  created_at: CreatedAt;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  expires_at: Timestamp;
  created_at: CreatedAt;
}

export interface ShopsTable extends ShopAfterSalesColumns {
  id: Generated<string>;
  owner_id: string;
  slug: string;
  name: string;
  address: string | null;
  pickup_hours: string | null;
  story: string | null;
  attribution_days: Generated<number>;
  /** Units per buyer on an offer without its own limit (null: no default). */
  default_buyer_limit: ColumnType<number | null, number | null | undefined, number | null>;
  /** The shop's logo: one of this app's uploads (null: none). */
  logo_url: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
}

export interface ProductsTable {
  id: Generated<string>;
  shop_id: string;
  name: string;
  description: string | null;
  story: string | null;
  image_url: string | null;
  price_cents: number;
  stock: number;
  archived_at: Timestamp | null;
  created_at: CreatedAt;
}

export type StreamStatus = 'scheduled' | 'live' | 'ended';

export interface StreamsTable {
  id: Generated<string>;
  shop_id: string;
  title: string;
  cover_url: string | null;
  status: Generated<StreamStatus>;
  scheduled_at: Timestamp | null;
  started_at: Timestamp | null;
  ended_at: Timestamp | null;
  pinned_offer_id: string | null;
  /** added by the realtime migration */
  like_count: Generated<number>;
  /** the owner hid the 团长榜 from viewers (issue 17) */
  leaderboard_hidden: Generated<boolean>;
  /** added by the shop-members migration: 'members' streams are watched by members alone */
  visibility: Generated<StreamVisibility>;
  /** until when the offers take orders after the live (issue 10); null: not set yet */
  sale_ends_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
}

export type StreamVisibility = 'public' | 'members';

/** Group outcome and closing columns come from the commerce migration. */
export interface OffersTable extends OfferCommerceColumns {
  id: Generated<string>;
  stream_id: string;
  product_id: string;
  price_cents: number;
  quantity: number;
  remaining: number;
  /** units reserved for the first in the offer's waitlist (not in `remaining`) */
  reserved: Generated<number>;
  per_buyer_limit: number | null;
  group_min: number | null;
  group_deadline: Timestamp | null;
  created_at: CreatedAt;
}

export type LeaderStatus = 'pending' | 'approved' | 'declined' | 'suspended';

export interface LeadersTable {
  id: Generated<string>;
  shop_id: string;
  user_id: string;
  display_name: string;
  community: string | null;
  status: Generated<LeaderStatus>;
  code: string | null;
  /** numeric(5,4): arrives as a string to keep its exact decimal value */
  commission_rate: ColumnType<string | null, string | number | null, string | number | null>;
  pickup_address: string | null;
  pickup_hours: string | null;
  created_at: CreatedAt;
  approved_at: Timestamp | null;
}

/** Core tables here; each capability keeps its own in `<capability>.schema.ts`. */
export interface DB
  extends
    MediaTables,
    CommerceTables,
    RealtimeTables,
    LeadersTables,
    MembersTables,
    RatingsTables,
    RecordingsTables,
    WaitlistTables,
    NotificationsTables,
    PayoutsTables,
    TrustTables {
  users: UsersTable;
  sessions: SessionsTable;
  shops: ShopsTable;
  products: ProductsTable;
  streams: StreamsTable;
  offers: OffersTable;
  leaders: LeadersTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type ShopRow = Selectable<ShopsTable>;
export type NewShopRow = Insertable<ShopsTable>;
export type ProductRow = Selectable<ProductsTable>;
export type NewProductRow = Insertable<ProductsTable>;
export type StreamRow = Selectable<StreamsTable>;
export type NewStreamRow = Insertable<StreamsTable>;
export type OfferRow = Selectable<OffersTable>;
export type NewOfferRow = Insertable<OffersTable>;
export type LeaderRow = Selectable<LeadersTable>;
export type NewLeaderRow = Insertable<LeadersTable>;
