// The leader trust index (团长信用分): the leader's own, with its history.
import { api, read, type Api } from '../api/client.ts';
import { LeaderTrust, ShopLeaderTrust } from '../api/contracts.ts';

export type { LeaderTrust, ShopLeaderTrust } from '../api/contracts.ts';

export const myTrust = (shopId: string) =>
  read(api.GET('/api/leader/me/trust/{shopId}', { params: { path: { shopId } } }), LeaderTrust);

export const shopTrust = (shopId: string, client: Api = api) =>
  read(
    client.GET('/api/shops/{shopId}/leader-trust', { params: { path: { shopId } } }),
    ShopLeaderTrust,
  );
