// A shop's public page: the shop and its streams, checked against the contract.
import { api, read, type Api } from '../api/client.ts';
import { ShopPage } from '../api/contracts.ts';

export const shopPage = (slug: string, client: Api = api) =>
  read(client.GET('/api/shops/{slug}', { params: { path: { slug } } }), ShopPage);
