import { describe, expect, it } from 'vitest';
import { parseWords } from './api.ts';

describe('parseWords', () => {
  it('splits on commas, 、, spaces and lines, and drops blanks and repeats', () => {
    expect(parseWords('榴莲，广告、 加微信\nspam, spam ,')).toEqual([
      '榴莲',
      '广告',
      '加微信',
      'spam',
    ]);
    expect(parseWords('   ')).toEqual([]);
  });
});
