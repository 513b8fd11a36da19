// Settlement: a leader's statement in one shop, the owner's payouts and their CSV files.
import { api, apiHref, read, type Api } from '../api/client.ts';
import { PayoutEnvelope, SettlementStatement } from '../api/contracts.ts';

export type { Payout, SettlementStatement, SettlementLine } from '../api/contracts.ts';

/** The statement, for the shop's owner or that leader. */
export const leaderStatement = (shopId: string, leaderId: string, client: Api = api) =>
  read(
    client.GET('/api/shops/{shopId}/leaders/{leaderId}/statement', {
      params: { path: { shopId, leaderId } },
    }),
    SettlementStatement,
  );

/** The owner pays everything earned and unpaid up to `periodEnd`. */
export const markPeriodPaid = (shopId: string, leaderId: string, periodEnd: string) =>
  read(
    api.POST('/api/shops/{shopId}/leaders/{leaderId}/payouts', {
      params: { path: { shopId, leaderId } },
      body: { periodEnd },
    }),
    PayoutEnvelope,
  );

/** Where the browser downloads a payout's CSV. */
export const payoutCsvHref = (shopId: string, leaderId: string, payoutId: string) =>
  apiHref('/api/shops/{shopId}/leaders/{leaderId}/payouts/{payoutFile}', {
    path: { shopId, leaderId, payoutFile: `${payoutId}.csv` },
  });
