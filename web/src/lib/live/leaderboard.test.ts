import { describe, expect, it } from 'vitest';
import { addOrder, rankLeaders } from './leaderboard.svelte.ts';

const li = { leaderId: 'li', displayName: '李姐团', community: '康健新村' };
const wang = { leaderId: 'wang', displayName: '王叔团', community: null };
const order = (leader: typeof li | typeof wang | null, quantity = 1) => ({
  streamId: 's',
  offerId: 'o',
  buyerName: '王**',
  productName: '砂糖橘',
  quantity,
  createdAt: '2026-11-26T00:00:00Z',
  leader,
});

describe('the 团长榜 on the client', () => {
  it('adds an order to its leader, a new leader at the end, and re-ranks by orders then units', () => {
    let board = addOrder([], order(li, 2));
    board = addOrder(board, order(wang, 1));
    expect(board.map((l) => [l.leaderId, l.orders, l.units])).toEqual([
      ['li', 1, 2],
      ['wang', 1, 1],
    ]);
    board = addOrder(board, order(wang, 1));
    expect(board.map((l) => [l.leaderId, l.orders, l.units])).toEqual([
      ['wang', 2, 2],
      ['li', 1, 2],
    ]);
    expect(addOrder(board, order(null))).toBe(board);
  });

  it('keeps equal leaders in the order they came (who sold first)', () => {
    const a = { ...li, orders: 1, units: 1 };
    const b = { ...wang, orders: 1, units: 1 };
    expect(rankLeaders([a, b])).toEqual([a, b]);
    expect(rankLeaders([b, a])).toEqual([b, a]);
  });
});
