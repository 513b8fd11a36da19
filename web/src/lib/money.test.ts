import { describe, expect, it } from 'vitest';
import { formatCents } from './money';

describe('formatCents', () => {
  it.each([
    [0, '¥0.00'],
    [1, '¥0.01'],
    [10, '¥0.10'],
    [99, '¥0.99'],
    [100, '¥1.00'],
    [1999, '¥19.99'],
    [123456, '¥1,234.56'],
    [100000000, '¥1,000,000.00'],
    [Number.MAX_SAFE_INTEGER, '¥90,071,992,547,409.91'],
  ])('formats %i cents as %s', (cents, expected) => {
    expect(formatCents(cents)).toBe(expected);
  });

  it('puts the minus sign before the currency symbol', () => {
    expect(formatCents(-250)).toBe('-¥2.50');
    expect(formatCents(-123456)).toBe('-¥1,234.56');
  });

  it('never prints negative zero', () => {
    expect(formatCents(-0)).toBe('¥0.00');
  });

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1])(
    'refuses %s because it is not a whole number of cents',
    (value) => {
      expect(() => formatCents(value)).toThrow(RangeError);
    },
  );
});
