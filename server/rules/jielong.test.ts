// The parser lives with the contract (the web client reads the chat the same way); its rules are tested here, where tests may import vitest.
import { describe, expect, it } from 'vitest';
import { jielongKey, parseJielong } from '../contracts/jielong';

describe('parseJielong', () => {
  it('reads +N, full-width ＋N and 接龙 [N] as an order of N', () => {
    expect(parseJielong('+1')).toBe(1);
    expect(parseJielong(' +2 ')).toBe(2);
    expect(parseJielong('＋3')).toBe(3);
    expect(parseJielong('＋２')).toBe(2);
    expect(parseJielong('+ 4')).toBe(4);
    expect(parseJielong('接龙')).toBe(1);
    expect(parseJielong('接龙 2')).toBe(2);
    expect(parseJielong('接龙+5')).toBe(5);
    expect(parseJielong('+20')).toBe(20);
  });

  it('leaves other lines as comments', () => {
    for (const text of [
      '我也+1 好吃',
      '+1 好吃',
      '1',
      '+',
      '+0',
      '+21',
      '+100',
      '接龙吗',
      'a+1',
      '+1.5',
      '+-1',
    ]) {
      expect(parseJielong(text), text).toBeNull();
    }
  });

  it('derives the order key from the chat message id', () => {
    expect(jielongKey('0b0e0c4e-1111-4111-8111-111111111111')).toBe(
      'chat:0b0e0c4e-1111-4111-8111-111111111111',
    );
  });
});
