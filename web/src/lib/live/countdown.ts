// The countdown on a planned stream's watch page (components/live/OffAirCard.svelte).

/** Days, hours, minutes and seconds until `target`; all zero once it has passed. */
export function countdown(
  target: Date,
  now: Date,
): { days: number; hours: number; minutes: number; seconds: number } {
  const total = Math.max(0, Math.floor((target.getTime() - now.getTime()) / 1000));
  return {
    days: Math.floor(total / 86_400),
    hours: Math.floor((total % 86_400) / 3600),
    minutes: Math.floor((total % 3600) / 60),
    seconds: total % 60,
  };
}
