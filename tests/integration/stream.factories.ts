import { Client, signUp, type TestApp } from '../helpers/app';

// Builds the data the stream tests need through the public API, as a user would.

let shopCounter = 0;

export async function ownerWithShop(app: TestApp) {
  const client = new Client(app);
  await signUp(client, '王老板');
  const me = (await (await client.get('/api/me')).json()) as { user: { id: string } };
  shopCounter += 1;
  const slug = `shop-${Date.now().toString(36)}-${shopCounter}-${Math.random().toString(36).slice(2, 6)}`;
  const res = await client.post('/api/shops', { name: '王记鲜果', slug, address: '康健路 88 号' });
  if (res.status !== 201) throw new Error(`shop: ${res.status} ${await res.text()}`);
  const { shop } = (await res.json()) as { shop: { id: string; slug: string } };
  return { client, userId: me.user.id, shop };
}

export async function resident(app: TestApp, name = '陈阿姨') {
  const client = new Client(app);
  await signUp(client, name);
  const me = (await (await client.get('/api/me')).json()) as { user: { id: string } };
  return { client, userId: me.user.id };
}

export async function plannedStream(
  owner: Client,
  shopId: string,
  body: Record<string, unknown> = { title: '凌晨四点去批发市场' },
): Promise<string> {
  const res = await owner.post(`/api/shops/${shopId}/streams`, body);
  if (res.status !== 201) throw new Error(`stream: ${res.status} ${await res.text()}`);
  const { stream } = (await res.json()) as { stream: { id: string } };
  return stream.id;
}

export async function liveStream(owner: Client, shopId: string): Promise<string> {
  const id = await plannedStream(owner, shopId);
  const res = await owner.post(`/api/streams/${id}/start`);
  if (res.status !== 200) throw new Error(`start: ${res.status} ${await res.text()}`);
  return id;
}
