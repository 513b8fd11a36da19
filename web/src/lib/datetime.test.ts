import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDay, toDateTimeInput } from './datetime';

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

describe('formatDay', () => {
  it('shows a calendar day as it is, whatever the machine’s zone', () => {
    expect(formatDay('2025-11-19', 'zh-CN')).toContain('11月19日');
    expect(formatDay('2025-11-19', 'en')).toContain('Nov 19');
    expect(formatDay('2025-11-19', 'en')).toContain('Wed');
  });

  it('leaves anything else alone', () => {
    expect(formatDay('soon', 'en')).toBe('soon');
  });
});

describe('toDateTimeInput', () => {
  it('round-trips through new Date(value) to the same minute', () => {
    const iso = '2030-05-02T11:30:00.000Z';
    const value = toDateTimeInput(iso);
    expect(value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(new Date(value).toISOString()).toBe(iso);
  });

  it('is empty for no time or a bad one', () => {
    expect(toDateTimeInput(null)).toBe('');
    expect(toDateTimeInput('nope')).toBe('');
  });
});
