/** rate × total in whole cents, rounded half up, computed in integers (rate has 4 decimals). */
export function commissionCents(rate: string, totalCents: number): number {
  const [whole = '0', frac = ''] = rate.split('.');
  const tenThousandths = Number(whole) * 10_000 + Number(frac.padEnd(4, '0').slice(0, 4));
  return Math.floor((totalCents * tenThousandths + 5_000) / 10_000);
}
