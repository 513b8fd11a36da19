import { describe, expect, it } from 'vitest';
import { checkOfferEdit, checkStreamEdit, editErrorKey } from './edit';

const now = new Date('2030-05-01T10:00:00Z');
const scheduled = {
  title: '周六试吃',
  scheduledAt: '2030-05-03T11:30:00.000Z',
  status: 'scheduled' as const,
};
/** The datetime-local value of an instant in this machine's zone. */
const local = (iso: string) => {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
};

describe('checkStreamEdit', () => {
  it('sends only what changed, trimmed', () => {
    const time = local(scheduled.scheduledAt);
    expect(checkStreamEdit({ title: '  周日试吃 ', time }, scheduled, now)).toEqual({
      ok: true,
      body: { title: '周日试吃' },
    });
    expect(checkStreamEdit({ title: '周六试吃', time }, scheduled, now)).toEqual({
      ok: true,
      body: {},
    });
    const later = local('2030-05-04T12:00:00.000Z');
    expect(checkStreamEdit({ title: '周六试吃', time: later }, scheduled, now)).toEqual({
      ok: true,
      body: { scheduledAt: '2030-05-04T12:00:00.000Z' },
    });
  });

  it('clears the time with an empty field', () => {
    expect(checkStreamEdit({ title: '周六试吃', time: '' }, scheduled, now)).toEqual({
      ok: true,
      body: { scheduledAt: null },
    });
  });

  it('explains an empty title and a time in the past', () => {
    expect(checkStreamEdit({ title: '   ', time: '' }, scheduled, now)).toEqual({
      ok: false,
      error: { key: 'titleRequired' },
    });
    const past = local('2030-04-30T10:00:00.000Z');
    expect(checkStreamEdit({ title: 'x', time: past }, scheduled, now)).toEqual({
      ok: false,
      error: { key: 'timePast' },
    });
  });

  it('never sends a time for a live stream', () => {
    const live = { ...scheduled, status: 'live' as const };
    expect(checkStreamEdit({ title: '加场', time: '' }, live, now)).toEqual({
      ok: true,
      body: { title: '加场' },
    });
  });
});

describe('checkOfferEdit', () => {
  const offer: Parameters<typeof checkOfferEdit>[1] = {
    priceCents: 1500,
    quantity: 30,
    remaining: 20,
    perBuyerLimit: 3,
    groupMin: null,
  };
  const input = { price: '15.00', quantity: '30', limit: '3' };

  it('sends only what changed; an empty limit lifts it', () => {
    expect(checkOfferEdit(input, offer, 100)).toEqual({ ok: true, body: {} });
    expect(checkOfferEdit({ ...input, price: '12.5' }, offer, 100)).toEqual({
      ok: true,
      body: { priceCents: 1250 },
    });
    expect(checkOfferEdit({ price: '15', quantity: ' 50 ', limit: '' }, offer, 100)).toEqual({
      ok: true,
      body: { quantity: 50, perBuyerLimit: null },
    });
  });

  it('explains each bad field', () => {
    const error = (patch: Partial<typeof input>, stock: number | null = 100, o = offer) => {
      const checked = checkOfferEdit({ ...input, ...patch }, o, stock);
      return checked.ok ? null : checked.error;
    };
    expect(error({ price: '' })).toEqual({ key: 'price' });
    expect(error({ price: '12.345' })).toEqual({ key: 'price' });
    expect(error({ price: '-1' })).toEqual({ key: 'price' });
    expect(error({ price: '1000001' })).toEqual({ key: 'price' });
    expect(error({ quantity: '0' })).toEqual({ key: 'quantity' });
    expect(error({ quantity: '2.5' })).toEqual({ key: 'quantity' });
    expect(error({ quantity: '100001' })).toEqual({ key: 'quantity' });
    expect(error({ quantity: '9' })).toEqual({ key: 'belowSold', values: { sold: 10 } });
    expect(error({ quantity: '101' })).toEqual({ key: 'overStock', values: { stock: 100 } });
    expect(error({ quantity: '12' }, 100, { ...offer, groupMin: 15 })).toEqual({
      key: 'belowGroup',
      values: { min: 15 },
    });
    expect(error({ limit: '0' })).toEqual({ key: 'limit' });
    expect(error({ limit: 'two' })).toEqual({ key: 'limit' });
  });

  it('lets the quantity fall even below the product stock, and rise when the stock is unknown', () => {
    const big = { ...offer, quantity: 200, remaining: 190 };
    expect(checkOfferEdit({ ...input, quantity: '150' }, big, 100)).toMatchObject({ ok: true });
    expect(checkOfferEdit({ ...input, quantity: '5000' }, offer, null)).toMatchObject({ ok: true });
  });
});

describe('editErrorKey', () => {
  it('explains the refusals a plan page can meet', () => {
    expect(editErrorKey('stream_started', 'stream')).toBe('started');
    expect(editErrorKey('stream_ended', 'offer')).toBe('ended');
    expect(editErrorKey('offer_closed', 'offer')).toBe('closed');
    expect(editErrorKey('quantity_below_sold', 'offer')).toBe('belowSold');
    expect(editErrorKey('bad_request', 'stream')).toBe('timePast');
    expect(editErrorKey('bad_request', 'offer')).toBeNull();
    expect(editErrorKey('internal', 'offer')).toBeNull();
  });
});
