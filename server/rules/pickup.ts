/**
 * Days ("due today", "overdue") are counted in the shops' time zone: every shop is a
 * physical place in China (the web app shows times in the same zone).
 */
export const SHOP_TIME_ZONE = 'Asia/Shanghai';

/** The calendar day of `at` in `timeZone`, as YYYY-MM-DD. */
export function dayIn(at: Date, timeZone: string = SHOP_TIME_ZONE): string {
  // en-CA formats dates as YYYY-MM-DD
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** Whether an order due on `dueOn` (YYYY-MM-DD) is late on `today` (same format). */
export function isOverdue(dueOn: string, today: string): boolean {
  return dueOn < today;
}
