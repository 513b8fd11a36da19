import { describe, expect, it } from 'vitest';
import { Order } from '../api/contracts';
import { isPhone, yuanToCents } from './api';

const parseOrder = (body: unknown) => Order.safeParse(body).data ?? null;

describe('commerce parsers', () => {
  it('reads an order and refuses a malformed one', () => {
    const order = {
      id: 'o1',
      status: 'confirmed',
      shopId: 's',
      streamId: 'st',
      offerId: 'of',
      productName: '草莓',
      unitPriceCents: 3290,
      quantity: 2,
      totalCents: 6580,
      pickupCode: '012345',
      pickupPointId: 's',
      leaderId: null,
      cancelReason: null,
      createdAt: '2026-11-22T00:00:00.000Z',
      pickedUpAt: null,
    };
    expect(parseOrder(order)).toMatchObject({ id: 'o1', totalCents: 6580 });
    expect(parseOrder({ ...order, status: 'shipped' })).toBeNull();
    expect(parseOrder({ ...order, quantity: 1.5 })).toBeNull();
  });
  it('checks phones and prices', () => {
    expect(isPhone('13800138000')).toBe(true);
    expect(isPhone('12345')).toBe(false);
    expect(yuanToCents('12.5')).toBe(1250);
    expect(yuanToCents('0.01')).toBe(1);
    expect(yuanToCents('1.234')).toBeNull();
    expect(yuanToCents('-1')).toBeNull();
  });
});
