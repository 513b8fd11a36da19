import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GOLD_LEVEL, isGold, trustIndex, TRUST_WINDOW_DAYS, type TrustInputs } from './trust';

// The published formula's promises to leaders: always 0–100, never lower for more good
// (a better rating, more clicks or orders, a claim answered on time), and gold only after a
// full window at the level.

const count = fc.nat({ max: 2_000 });
const inputs: fc.Arbitrary<TrustInputs> = fc
  .record({ ratings: count, clicks: count, orders: count, handled: count })
  .chain(({ ratings, clicks, orders, handled }) =>
    fc.record({
      ratings: fc.record({
        count: fc.constant(ratings),
        stars: fc.integer({ min: ratings, max: 5 * ratings }),
      }),
      activity: fc.record({ clicks: fc.constant(clicks), orders: fc.constant(orders) }),
      claims: fc.record({
        handled: fc.constant(handled),
        onTime: fc.integer({ min: 0, max: handled }),
      }),
    }),
  );

describe('the trust index', () => {
  it('is a whole number from 0 to 100, each part a share from 0 to 1', () => {
    fc.assert(
      fc.property(inputs, (i) => {
        const { score, parts } = trustIndex(i);
        expect(Number.isInteger(score)).toBe(true);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(100);
        for (const p of Object.values(parts)) {
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('never falls for more good: a star more, a click or order more, a claim on time', () => {
    fc.assert(
      fc.property(inputs, (i) => {
        const base = trustIndex(i);
        const better: TrustInputs[] = [
          { ...i, activity: { ...i.activity, clicks: i.activity.clicks + 1 } },
          { ...i, activity: { ...i.activity, orders: i.activity.orders + 1 } },
        ];
        if (i.ratings.stars < 5 * i.ratings.count) {
          better.push({ ...i, ratings: { ...i.ratings, stars: i.ratings.stars + 1 } });
        }
        if (i.claims.onTime < i.claims.handled) {
          better.push({ ...i, claims: { ...i.claims, onTime: i.claims.onTime + 1 } });
        }
        // a new five-star rating, or a new claim answered on time, never lowers it either
        better.push({ ...i, ratings: { count: i.ratings.count + 1, stars: i.ratings.stars + 5 } });
        better.push({
          ...i,
          claims: { handled: i.claims.handled + 1, onTime: i.claims.onTime + 1 },
        });
        for (const b of better) {
          const next = trustIndex(b);
          expect(next.score).toBeGreaterThanOrEqual(base.score);
          expect(next.parts.satisfaction).toBeGreaterThanOrEqual(base.parts.satisfaction);
          expect(next.parts.activity).toBeGreaterThanOrEqual(base.parts.activity);
          expect(next.parts.speed).toBeGreaterThanOrEqual(base.parts.speed);
        }
      }),
    );
  });

  it('a one-star rating or a late answer never raises it', () => {
    fc.assert(
      fc.property(inputs, (i) => {
        const base = trustIndex(i).score;
        expect(
          trustIndex({ ...i, ratings: { count: i.ratings.count + 1, stars: i.ratings.stars + 1 } })
            .score,
        ).toBeLessThanOrEqual(base);
        expect(
          trustIndex({ ...i, claims: { ...i.claims, handled: i.claims.handled + 1 } }).score,
        ).toBeLessThanOrEqual(base);
      }),
    );
  });

  it('a newcomer starts in the middle; a perfect busy month reaches the top', () => {
    const none = {
      ratings: { count: 0, stars: 0 },
      activity: { clicks: 0, orders: 0 },
      claims: { handled: 0, onTime: 0 },
    };
    expect(trustIndex(none).score).toBe(54);
    const best = {
      ratings: { count: 500, stars: 2500 },
      activity: { clicks: 5000, orders: 500 },
      claims: { handled: 500, onTime: 500 },
    };
    expect(trustIndex(best).score).toBeGreaterThanOrEqual(99);
  });

  it('gold takes a full window at the level', () => {
    const window = Array.from({ length: TRUST_WINDOW_DAYS }, () => GOLD_LEVEL);
    expect(isGold(window)).toBe(true);
    expect(isGold(window.slice(1))).toBe(false);
    expect(isGold([...window.slice(1), GOLD_LEVEL - 1])).toBe(false);
    expect(isGold([0, ...window])).toBe(true);
  });
});
