/** 王小明 → 王**: enough for "someone just ordered", not enough to identify. */
export function maskName(name: string): string {
  const first = [...name.trim()][0] ?? '*';
  return `${first}**`;
}
