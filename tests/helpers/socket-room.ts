import { expect } from 'vitest';
import { serveTestApp, sessionCookie } from './app';
import { makeAccount, makeShopWithStream } from './factories';
import { ask, connected, openSocket, type TestSocket } from './sockets';

/** A served app with a shop whose stream is live, and its owner signed in. */
export async function serveLiveStream() {
  const served = await serveTestApp();
  const owner = await makeAccount(served.db, '王老板');
  const { shop, stream } = await makeShopWithStream(served.db, owner.id, 'live');
  const ownerCookie = await sessionCookie(served.url, owner);
  return { served, owner, ownerCookie, shopId: shop.id, streamId: stream.id };
}

/**
 * Opens a socket as `cookie`, joins the stream and checks it was let in. The socket is kept
 * in `opened`, which the test disconnects after all.
 */
export async function joinStream(
  url: string,
  cookie: string,
  streamId: string,
  opened: TestSocket[],
) {
  const socket = openSocket(url, { cookie });
  opened.push(socket);
  await connected(socket);
  const answer = await ask(socket, 'stream:join', { streamId });
  expect(answer).toMatchObject({ ok: true });
  return { socket, answer };
}
