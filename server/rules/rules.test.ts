import fc from 'fast-check';
import { isUuid } from './ids';
import { describe, expect, it } from 'vitest';
import { commissionCents } from './commission';
import { maskName } from './names';
import { buyerLimit, GUEST_FALLBACK_LIMIT, offerStatus, whyClosed } from './offer';
import { dayIn, isOverdue } from './pickup';

describe('commissionCents', () => {
  it('is rate × total in cents, rounded half up', () => {
    expect(commissionCents('0.1000', 1980)).toBe(198);
    expect(commissionCents('0.0500', 999)).toBe(50); // 49.95 → 50
    expect(commissionCents('0.0500', 989)).toBe(49); // 49.45 → 49
    expect(commissionCents('0.1234', 10_000)).toBe(1234);
    expect(commissionCents('0', 5000)).toBe(0);
    expect(commissionCents('1.0000', 5000)).toBe(5000);
  });

  it('never exceeds the total, and grows with the total and the rate', () => {
    const rate = fc.integer({ min: 0, max: 10_000 }).map((n) => (n / 10_000).toFixed(4));
    const cents = fc.integer({ min: 0, max: 10_000_000 });
    fc.assert(
      fc.property(rate, cents, cents, (r, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(commissionCents(r, lo)).toBeLessThanOrEqual(lo);
        expect(commissionCents(r, lo)).toBeLessThanOrEqual(commissionCents(r, hi));
        expect(Math.abs(commissionCents(r, lo) - Number(r) * lo)).toBeLessThanOrEqual(0.5);
      }),
    );
  });
});

describe('maskName', () => {
  it('keeps the first character only, also for names in other scripts', () => {
    expect(maskName('王小明')).toBe('王**');
    expect(maskName('  Alice ')).toBe('A**');
    expect(maskName('😀笑')).toBe('😀**');
    expect(maskName('')).toBe('***');
  });
});

describe('offerStatus', () => {
  const base = { remaining: 5, group_min: null, group_reached_at: null };
  it('closed beats everything, then a failed group, then sold out, then a reached group', () => {
    const t = new Date();
    expect(offerStatus({ ...base, closed_at: t, group_failed_at: t, remaining: 0 })).toBe('closed');
    expect(offerStatus({ ...base, group_failed_at: t, remaining: 0 })).toBe('group_failed');
    expect(offerStatus({ ...base, remaining: 0, group_min: 3, group_reached_at: t })).toBe(
      'sold_out',
    );
    expect(offerStatus({ ...base, group_min: 3, group_reached_at: t })).toBe('group_reached');
    expect(offerStatus(base)).toBe('open');
    // a reached-at without a group threshold is not a group buy
    expect(offerStatus({ ...base, group_reached_at: t })).toBe('open');
  });
});

describe('whyClosed', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  const open = {
    stream_status: 'live',
    sale_ends_at: null,
    closed_at: null,
    group_failed_at: null,
    group_deadline: null,
    group_reached_at: null,
  };
  it('is null while the offer takes orders', () => {
    expect(whyClosed(open, now)).toBeNull();
    expect(whyClosed({ ...open, stream_status: 'scheduled' }, now)).toBeNull();
    expect(whyClosed({ ...open, group_deadline: new Date(now.getTime() + 1) }, now)).toBeNull();
  });
  it('says why, first the sale, then the offer, then the group', () => {
    const message = (o: Partial<Parameters<typeof whyClosed>[0]>) =>
      whyClosed({ ...open, ...o }, now)?.message;
    expect(whyClosed({ ...open, stream_status: 'ended', closed_at: now }, now)?.code).toBe(
      'sale_closed',
    );
    expect(whyClosed({ ...open, closed_at: now }, now)?.code).toBe('offer_closed');
    expect(message({ closed_at: now })).toMatch(/closed/);
    expect(message({ group_failed_at: now })).toMatch(/threshold/);
    expect(message({ group_deadline: now })).toMatch(/deadline/);
  });
  it('the sale outlives the live until sale_ends_at, and not a moment longer', () => {
    const later = new Date(now.getTime() + 1);
    expect(whyClosed({ ...open, stream_status: 'ended', sale_ends_at: later }, now)).toBeNull();
    expect(whyClosed({ ...open, stream_status: 'ended', sale_ends_at: now }, now)?.code).toBe(
      'sale_closed',
    );
    // an end the owner set while live closes the sale then too
    expect(whyClosed({ ...open, sale_ends_at: now }, now)?.code).toBe('sale_closed');
  });
  it('a group that reached its threshold stays open past its deadline', () => {
    expect(whyClosed({ ...open, group_deadline: now, group_reached_at: now }, now)).toBeNull();
  });
});

describe('pickup days', () => {
  it('counts days in the shops’ time zone', () => {
    // 23:30 UTC is already the next morning in Shanghai
    expect(dayIn(new Date('2026-11-25T23:30:00Z'))).toBe('2026-11-26');
    expect(dayIn(new Date('2026-11-25T15:59:59Z'))).toBe('2026-11-25');
    expect(dayIn(new Date('2026-11-25T23:30:00Z'), 'UTC')).toBe('2026-11-25');
  });
  it('an order is overdue only after its day', () => {
    expect(isOverdue('2026-11-24', '2026-11-25')).toBe(true);
    expect(isOverdue('2026-11-25', '2026-11-25')).toBe(false);
    expect(isOverdue('2026-11-26', '2026-11-25')).toBe(false);
  });
});

describe('buyerLimit', () => {
  it("takes the offer's own limit, else the shop's default, else none (a guest: a fallback)", () => {
    expect(buyerLimit({ per_buyer_limit: 2, default_buyer_limit: 5 }, false)).toBe(2);
    expect(buyerLimit({ per_buyer_limit: 20, default_buyer_limit: 5 }, true)).toBe(20);
    expect(buyerLimit({ per_buyer_limit: null, default_buyer_limit: 5 }, false)).toBe(5);
    expect(buyerLimit({ per_buyer_limit: null, default_buyer_limit: null }, false)).toBeNull();
    expect(buyerLimit({ per_buyer_limit: null, default_buyer_limit: null }, true)).toBe(
      GUEST_FALLBACK_LIMIT,
    );
  });
});

describe('isUuid', () => {
  it('takes a uuid in any letter case and nothing else', () => {
    expect(isUuid('0b8f3c2e-5d4a-4e6f-9a1b-2c3d4e5f6a7b')).toBe(true);
    expect(isUuid('0B8F3C2E-5D4A-4E6F-9A1B-2C3D4E5F6A7B')).toBe(true);
    expect(isUuid('visitor-0b8f3c2e-5d4a-4e6f-9a1b-2c3d4e5f6a7b')).toBe(false);
    expect(isUuid('not-a-uuid')).toBe(false);
  });
});
