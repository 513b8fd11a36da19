import { describe, expect, it } from 'vitest';
import type { OfferUpdatePayload } from '../../../../server/realtime/events.ts';
import { rememberTerms, withTerms, type OfferTerms } from './offer-terms';

const terms: OfferTerms = {
  priceCents: 990,
  quantity: 40,
  perBuyerLimit: 2,
  groupMin: null,
  groupDeadline: null,
};

const update = (offerId: string, extra: Partial<OfferUpdatePayload> = {}): OfferUpdatePayload => ({
  streamId: 's',
  offerId,
  remaining: 10,
  groupCount: 0,
  status: 'open',
  ...extra,
});

describe('offer terms heard in the room', () => {
  it('remembers the terms of an edit after a stock-only update replaces it', () => {
    const afterEdit = rememberTerms({}, { a: update('a', { terms }) });
    expect(afterEdit).toEqual({ a: terms });
    // an order's update (no terms) takes the edit's place in the realtime state
    expect(rememberTerms(afterEdit, { a: update('a', { remaining: 9 }) })).toBe(afterEdit);
  });

  it('keeps the same object when nothing new was heard (no needless re-render)', () => {
    const known = { a: terms };
    expect(rememberTerms(known, { a: update('a', { terms: { ...terms } }) })).toBe(known);
    expect(rememberTerms(known, {})).toBe(known);
  });

  it('takes newer terms over older ones', () => {
    const known = { a: terms };
    const newer = { ...terms, priceCents: 880 };
    expect(rememberTerms(known, { a: update('a', { terms: newer }) })).toEqual({ a: newer });
  });

  it('applies price and group threshold to the offer as the page read it', () => {
    const offer = { id: 'a', priceCents: 1500, groupMin: 5, productName: '草莓' };
    expect(withTerms(offer, undefined)).toBe(offer);
    expect(withTerms(offer, terms)).toEqual({
      id: 'a',
      priceCents: 990,
      groupMin: null,
      productName: '草莓',
    });
  });
});
