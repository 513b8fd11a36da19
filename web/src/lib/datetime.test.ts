import { describe, expect, it } from 'vitest';
import { formatDateTime } from './datetime';

describe('formatDateTime', () => {
  it('shows the time in the shops’ zone (UTC+8) whatever the machine’s zone', () => {
    const text = formatDateTime('2025-11-22T11:30:00Z', 'zh-CN');
    expect(text).toContain('2025');
    expect(text).toContain('11月22日');
    expect(text).toContain('19:30');
  });

  it('formats in English with a 12-hour clock', () => {
    const text = formatDateTime('2025-11-22T11:30:00Z', 'en');
    expect(text).toContain('Nov 22, 2025');
    expect(text).toMatch(/7:30\s?PM/);
  });

  it('returns null for something that is not a date', () => {
    expect(formatDateTime('not a date', 'en')).toBeNull();
  });
});
