// Where the waitlist service schedules the end of a held unit; commerce.jobs.ts installs the
// scheduler (pg-boss on PostgreSQL, timers on PGlite). Kept apart so the service and the
// jobs do not import each other.

type Scheduler = (entryId: string, at: Date) => Promise<void>;
let scheduler: Scheduler | null = null;

export function setWaitlistExpiryScheduler(next: Scheduler | null): void {
  scheduler = next;
}

/**
 * Schedules the end of a held unit. Without running jobs (tests that build only the app)
 * this does nothing, and the periodic sweep of due reservations is the only safety net.
 */
export async function scheduleWaitlistExpiry(entryId: string, at: Date): Promise<void> {
  await scheduler?.(entryId, at);
}
