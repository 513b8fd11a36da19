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
