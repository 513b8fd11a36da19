import type { Locale } from './i18n/locales';

/**
 * Times are shown in the shops' time zone rather than the viewer's: every shop is a physical
 * place in China, and a fixed zone keeps the server render and the browser render identical.
 */
export const SHOP_TIME_ZONE = 'Asia/Shanghai';

const formatters = new Map<Locale, Intl.DateTimeFormat>();

function dateTimeFormatter(locale: Locale): Intl.DateTimeFormat {
  let formatter = formatters.get(locale);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat(locale, {
      timeZone: SHOP_TIME_ZONE,
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      weekday: 'short',
      hour: 'numeric',
      minute: '2-digit',
      hourCycle: locale === 'en' ? 'h12' : 'h23',
    });
    formatters.set(locale, formatter);
  }
  return formatter;
}

/** "2025年11月22日周六 19:30" / "Sat, Nov 22, 2025, 7:30 PM"; null for an unparseable value. */
export function formatDateTime(iso: string, locale: Locale): string | null {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  return dateTimeFormatter(locale).format(date);
}

const dayFormatters = new Map<Locale, Intl.DateTimeFormat>();

/** A calendar day (YYYY-MM-DD, already in the shops' zone): "11月19日周三" / "Wed, Nov 19". */
export function formatDay(day: string, locale: Locale): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  let formatter = dayFormatters.get(locale);
  if (formatter === undefined) {
    // the day is a date, not an instant: format it at noon UTC, read back in UTC
    formatter = new Intl.DateTimeFormat(locale, {
      timeZone: 'UTC',
      month: 'short',
      day: 'numeric',
      weekday: 'short',
    });
    dayFormatters.set(locale, formatter);
  }
  return formatter.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12)));
}

/**
 * An instant as the value of an <input type="datetime-local"> ("2025-11-22T19:30"), in the
 * browser's zone: the form turns it back with `new Date(value)`, which reads it in that zone.
 */
export function toDateTimeInput(iso: string | null): string {
  if (iso === null) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}
