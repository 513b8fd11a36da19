// A shop's public page: the shop, its streams (members-only ones for members and the owner)
// and whether I am a member, checked against the contract.
import { api, read, type Api } from '../api/client.ts';
import { PublicShopPage } from '../api/contracts.ts';

export const shopPage = (slug: string, client: Api = api) =>
  read(client.GET('/api/shops/{slug}', { params: { path: { slug } } }), PublicShopPage);
