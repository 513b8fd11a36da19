// The leader trust index (团长信用分, issue 14.4): a published formula, pure, from 30 days of
// a leader's record in one shop. Each part is a share from 0 to 1; the index is their
// weighted sum on a 0–100 scale. Few data points lean on a prior (a newcomer starts near
// the middle, and one bad rating does not sink them); more data outweighs it.

export const TRUST_WINDOW_DAYS = 30;
export const TRUST_WEIGHTS = { satisfaction: 0.5, activity: 0.3, speed: 0.2 } as const;
/** 金牌团长: the index at or above this on every day of a TRUST_WINDOW_DAYS window. */
export const GOLD_LEVEL = 85;

/** The prior: as if each leader started with this many ratings of PRIOR_STARS… */
export const PRIOR_RATINGS = 5;
export const PRIOR_STARS = 4;
/** …and this many claims handled, PRIOR_ON_TIME of them within the shop's promise. */
export const PRIOR_CLAIMS = 5;
export const PRIOR_ON_TIME = 0.8;
/** Activity saturates: this many link clicks, or this many orders, make about 63 % of it. */
export const CLICKS_SCALE = 50;
export const ORDERS_SCALE = 10;

export interface TrustInputs {
  /** ratings of orders attributed to the leader or picked up at their point */
  ratings: { count: number; stars: number };
  /** clicks on the leader's links, and orders attributed to them (not cancelled or refunded) */
  activity: { clicks: number; orders: number };
  /** claims the leader answered, and how many within the shop's promise */
  claims: { handled: number; onTime: number };
}

export interface TrustIndex {
  score: number;
  parts: { satisfaction: number; activity: number; speed: number };
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

export function trustIndex(input: TrustInputs): TrustIndex {
  const { ratings, activity, claims } = input;
  const meanStars =
    (ratings.stars + PRIOR_RATINGS * PRIOR_STARS) / (Math.max(0, ratings.count) + PRIOR_RATINGS);
  const satisfaction = clamp01((meanStars - 1) / 4);
  const effort =
    Math.max(0, activity.clicks) / CLICKS_SCALE + Math.max(0, activity.orders) / ORDERS_SCALE;
  const activityShare = clamp01(1 - Math.exp(-effort));
  const speed = clamp01(
    (Math.max(0, claims.onTime) + PRIOR_CLAIMS * PRIOR_ON_TIME) /
      (Math.max(0, claims.handled) + PRIOR_CLAIMS),
  );
  const weighted =
    TRUST_WEIGHTS.satisfaction * satisfaction +
    TRUST_WEIGHTS.activity * activityShare +
    TRUST_WEIGHTS.speed * speed;
  return {
    score: Math.round(100 * clamp01(weighted)),
    parts: { satisfaction, activity: activityShare, speed },
  };
}

/** 金牌团长: a full window of daily indexes, each at or above GOLD_LEVEL. */
export function isGold(daily: readonly number[]): boolean {
  return (
    daily.length >= TRUST_WINDOW_DAYS &&
    daily.slice(-TRUST_WINDOW_DAYS).every((s) => s >= GOLD_LEVEL)
  );
}
