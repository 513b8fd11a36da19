import { describe, expect, it } from 'vitest';
import { apiHref } from './client';

describe('apiHref', () => {
  it('fills the path parameters and adds the query, as the client does for its calls', () => {
    expect(apiHref('/api/streams/{streamId}/calendar.ics', { path: { streamId: 's 1' } })).toBe(
      '/api/streams/s%201/calendar.ics',
    );
    expect(
      apiHref('/api/shops/{shopId}/orders', {
        path: { shopId: 'p1' },
        query: { status: 'confirmed,ready', format: 'csv' },
      }),
    ).toBe('/api/shops/p1/orders?status=confirmed%2Cready&format=csv');
    expect(apiHref('/api/shops/{shopId}/orders', { path: { shopId: 'p1' }, query: {} })).toBe(
      '/api/shops/p1/orders',
    );
  });
});
