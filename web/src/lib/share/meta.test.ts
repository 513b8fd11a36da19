import { describe, expect, it } from 'vitest';
import type { StreamOffer, StreamStatus } from '../api/contracts.ts';
import {
  absoluteUrl,
  DEFAULT_SHARE_IMAGE,
  refFrom,
  shopShareMeta,
  streamShareMeta,
  withRef,
  yuanAmount,
  type Translate,
} from './meta.ts';

// the keys and values, so a test reads what the page would say without the catalogues
const t: Translate = (key, values) => (values ? `${key}(${Object.values(values).join('|')})` : key);

const offer = (id: string, over: Partial<StreamOffer> = {}): StreamOffer => ({
  id,
  productId: `p-${id}`,
  productName: `商品${id}`,
  imageUrl: null,
  priceCents: 1250,
  quantity: 10,
  remaining: 10,
  perBuyerLimit: null,
  groupMin: null,
  groupDeadline: null,
  groupCount: 0,
  closed: false,
  ...over,
});

const baseStream = {
  id: 's1',
  status: 'live' as StreamStatus,
  offers: [] as StreamOffer[],
  pinnedOfferId: null as string | null,
  saleEndsAt: null as string | null,
  scheduledAt: null as string | null,
  shop: { id: 'shop', slug: 'wang', name: '王记鲜果', address: '康健新村 3 号' },
};

function meta(
  over: Partial<typeof baseStream> = {},
  extra: { cover?: string; logo?: string } = {},
) {
  return streamShareMeta({
    stream: { ...baseStream, ...over },
    title: '草莓专场',
    coverUrl: extra.cover ?? null,
    logoUrl: extra.logo ?? null,
    origin: 'https://live.example.cn',
    ref: 'abc123',
    t,
    locale: 'zh-CN',
  });
}

describe('share meta of a stream', () => {
  it('makes every picture absolute: cover, else the pinned offer, else the first, else the logo, else ours', () => {
    const a = offer('a', { imageUrl: '/demo/apples.svg' });
    const b = offer('b', { imageUrl: '/demo/oranges.svg' });
    expect(meta({ offers: [a, b] }, { cover: '/api/uploads/x.jpg' }).image).toBe(
      'https://live.example.cn/api/uploads/x.jpg',
    );
    expect(meta({ offers: [a, b], pinnedOfferId: 'b' }).image).toBe(
      'https://live.example.cn/demo/oranges.svg',
    );
    expect(meta({ offers: [offer('c'), a] }).image).toBe('https://live.example.cn/demo/apples.svg');
    expect(meta({}, { logo: '/api/uploads/logo.png' }).image).toBe(
      'https://live.example.cn/api/uploads/logo.png',
    );
    expect(meta().image).toBe(`https://live.example.cn${DEFAULT_SHARE_IMAGE}`);
  });

  it('carries the price of a single (or the pinned) offer, in CNY and in the description', () => {
    const one = meta({ offers: [offer('a', { priceCents: 990 })] });
    expect(one.price).toEqual({ amount: '9.90', currency: 'CNY' });
    expect(one.type).toBe('product');
    expect(one.description).toContain('¥9.90');
    expect(one.description).toContain('商品a');
    const several = meta({ offers: [offer('a'), offer('b')] });
    expect(several.price).toBeNull();
    expect(several.description).toContain('share.offers(2)');
    const oneLeftOnSale = meta({ offers: [offer('a', { closed: true }), offer('b')] });
    expect(oneLeftOnSale.price).toEqual({ amount: '12.50', currency: 'CNY' });
    expect(
      meta({ offers: [offer('a'), offer('b', { priceCents: 3300 })], pinnedOfferId: 'b' }).price,
    ).toEqual({ amount: '33.00', currency: 'CNY' });
  });

  it("keeps the leader's ref on the canonical URL and says what state the stream is in", () => {
    const live = meta();
    expect(live.url).toBe('https://live.example.cn/live/s1?ref=abc123');
    expect(live.title).toBe('share.live(草莓专场)');
    expect(live.description).toContain('王记鲜果');
    const later = new Date(Date.now() + 3_600_000).toISOString();
    expect(meta({ status: 'ended', saleEndsAt: later }).description).toContain('share.saleUntil');
    expect(meta({ status: 'ended' }).description).toContain('share.replayNow');
    expect(meta({ status: 'scheduled', scheduledAt: later }).title).toBe(
      'share.scheduled(草莓专场)',
    );
  });
});

describe('share meta of a shop', () => {
  it('leads with the live stream, and its cover before the logo', () => {
    const m = shopShareMeta({
      shop: {
        slug: 'wang',
        name: '王记',
        story: '三代人卖水果',
        address: null,
        logoUrl: '/api/uploads/l.png',
      },
      streams: [
        { status: 'scheduled', title: '明天', coverUrl: null, scheduledAt: null },
        { status: 'live', title: '现在', coverUrl: '/demo/apples.svg', scheduledAt: null },
      ],
      origin: 'http://127.0.0.1:3000',
      ref: null,
      t,
      locale: 'zh-CN',
    });
    expect(m.description).toBe('share.shopLive(现在) · 三代人卖水果');
    expect(m.image).toBe('http://127.0.0.1:3000/demo/apples.svg');
    expect(m.url).toBe('http://127.0.0.1:3000/shop/wang');
  });
});

describe('helpers', () => {
  it('accepts only a real leader code as ref', () => {
    expect(refFrom(new URL('http://x/live/1?ref=abc9'))).toBe('abc9');
    expect(refFrom(new URL('http://x/live/1?ref=%3Cscript%3E'))).toBeNull();
    expect(refFrom(new URL('http://x/live/1'))).toBeNull();
  });

  it('joins origins and paths, and formats yuan from cents exactly', () => {
    expect(absoluteUrl('https://a.cn/', '/x.png')).toBe('https://a.cn/x.png');
    expect(absoluteUrl('https://a.cn', 'https://cdn.cn/y.png')).toBe('https://cdn.cn/y.png');
    expect(withRef('https://a.cn/shop/x', 'k1')).toBe('https://a.cn/shop/x?ref=k1');
    expect(yuanAmount(5)).toBe('0.05');
    expect(yuanAmount(123456)).toBe('1234.56');
  });
});
