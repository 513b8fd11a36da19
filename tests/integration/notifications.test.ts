import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { pino } from 'pino';
import { Client, serveTestApp } from '../helpers/app';
import {
  makeBuyer,
  makeLeader,
  makeOffer,
  makeShop,
  order,
  plannedStream,
  resident,
} from '../helpers/factories';
import { until } from '../helpers/sockets';
import { startSmtpServer } from '../helpers/smtp';
import { deliverEmails } from '../../server/services/notification.service';
import { failGroupIfUnreached } from '../../server/services/order.service';

// Notices that reach people (issue 14.6): written with the change they tell of, once per
// event and recipient; in the bell (GET /api/me/notifications), live on the /me socket, and
// by email through a real SMTP server, each exactly once.

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let served: Awaited<ReturnType<typeof serveTestApp>>;
let shop: Awaited<ReturnType<typeof makeShop>>;
const sockets: Socket[] = [];

beforeAll(async () => {
  smtp = await startSmtpServer();
  served = await serveTestApp({ SMTP_URL: smtp.url, MAIL_FROM: '邻里直播 <no-reply@linli.test>' });
  shop = await makeShop(served.app, served.db);
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await served.close();
  await smtp.close();
});

const deps = () => ({ ...served, logger: pino({ level: 'silent' }) });

type Notice = { kind: string; title: string; body: string; url: string | null; read: boolean };
async function bell(c: Client) {
  const res = await c.get('/api/me/notifications');
  expect(res.status).toBe(200);
  return (await res.json()) as { notifications: Notice[]; unread: number };
}

function cookieOf(c: Client): string {
  return [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

function meSocket(cookie?: string) {
  const socket = connect(`${served.url}/me`, {
    path: '/socket.io',
    transports: ['websocket'],
    forceNew: true,
    extraHeaders: { origin: served.url, ...(cookie ? { cookie } : {}) },
  });
  sockets.push(socket);
  return socket;
}

const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));

describe('notices', () => {
  it('提醒我: a reminded account and a member hear the go-live once, live, in the bell and by email', async () => {
    const streamId = await plannedStream(shop.owner, shop.shopId, { title: '周六早市' });
    const fan = await resident(served.app, '秦阿姨');
    const fanEmail = (
      (await (await fan.client.get('/api/me')).json()) as { user: { email: string } }
    ).user.email;
    expect((await fan.client.request('PUT', `/api/streams/${streamId}/reminder`)).status).toBe(200);
    const asked = await fan.client.get(`/api/streams/${streamId}/reminder`);
    expect(await asked.json()).toEqual({ reminded: true });
    // a guest member of the shop (no email: the bell alone)
    const member = await makeBuyer(served.app, '尤大爷');
    expect((await member.post(`/api/shops/${shop.shopId}/members`, {})).status).toBeLessThan(300);
    const bystander = await makeBuyer(served.app, '路人');

    // the fan's page is open: the /me socket hears it the moment it happens
    const socket = meSocket(cookieOf(fan.client));
    const heard: { notification: Notice; unread: number }[] = [];
    socket.on('notification:new', (p: { notification: Notice; unread: number }) => heard.push(p));
    await new Promise<void>((ok) => socket.on('connect', () => ok()));

    expect((await shop.owner.post(`/api/streams/${streamId}/start`)).status).toBe(200);
    await until(() => heard.length === 1, 5000, 'the live notice');
    expect(heard[0]).toMatchObject({
      unread: 1,
      notification: { kind: 'stream_live', url: `/live/${streamId}`, read: false },
    });
    expect(heard[0]!.notification.title).toContain('测试鲜果');
    expect(heard[0]!.notification.body).toContain('周六早市');

    expect((await bell(member)).notifications.map((n) => n.kind)).toEqual(['stream_live']);
    expect((await bell(bystander)).notifications).toEqual([]);

    // one email, to the fan (the member has no address)
    await until(() => mailsTo(fanEmail).length === 1, 5000, 'the email');
    expect(mailsTo(fanEmail)[0]!.subject).toBe('测试鲜果 开播了');
    // ending and resuming does not tell anyone again; nor does another sweep of the channel
    expect((await shop.owner.post(`/api/streams/${streamId}/end`)).status).toBe(200);
    expect((await shop.owner.post(`/api/streams/${streamId}/resume`)).status).toBe(200);
    await deliverEmails(deps());
    await new Promise((r) => setTimeout(r, 300));
    expect((await bell(fan.client)).notifications).toHaveLength(1);
    expect(mailsTo(fanEmail)).toHaveLength(1);
    expect(heard).toHaveLength(1);

    // read: the count goes to zero
    expect((await fan.client.post('/api/me/notifications/read', {})).status).toBe(204);
    expect(await bell(fan.client)).toMatchObject({ unread: 0, notifications: [{ read: true }] });
  });

  it('the /me socket is for the signed-in alone; a reminder is for a scheduled stream only', async () => {
    const anonymous = meSocket();
    const refused = await new Promise<string>((ok) =>
      anonymous.on('connect_error', (err) => ok(err.message)),
    );
    expect(refused).toBe('unauthenticated');
    anonymous.disconnect();

    const streamId = await plannedStream(shop.owner, shop.shopId);
    expect((await shop.owner.post(`/api/streams/${streamId}/start`)).status).toBe(200);
    const late = await makeBuyer(served.app, '迟到');
    const res = await late.request('PUT', `/api/streams/${streamId}/reminder`);
    expect(res.status).toBe(409);
    expect(
      (await new Client(served.app).request('PUT', `/api/streams/${streamId}/reminder`)).status,
    ).toBe(401);
    expect((await late.post('/api/me/notifications/read', { ids: ['nope'] })).status).toBe(400);
  });

  it('group formed and group failed reach every buyer of the group once', async () => {
    const formed = await makeOffer(served.db, shop, {
      quantity: 10,
      groupMin: 2,
      groupDeadline: new Date(Date.now() + 3_600_000),
    });
    const [a, b] = [await makeBuyer(served.app, '甲'), await makeBuyer(served.app, '乙')];
    expect((await order(a, shop.streamId, { offerId: formed })).order?.status).toBe(
      'pending_group',
    );
    expect((await order(b, shop.streamId, { offerId: formed })).order?.status).toBe('confirmed');
    for (const buyer of [a, b]) {
      expect((await bell(buyer)).notifications.map((n) => n.kind)).toEqual(['group_formed']);
    }

    const failing = await makeOffer(served.db, shop, {
      quantity: 10,
      groupMin: 5,
      groupDeadline: new Date(Date.now() + 3_600_000),
    });
    const c = await makeBuyer(served.app, '丙');
    await order(c, shop.streamId, { offerId: failing });
    await order(c, shop.streamId, { offerId: failing });
    await served.db
      .updateTable('offers')
      .set({ group_deadline: new Date(Date.now() - 1000) })
      .where('id', '=', failing)
      .execute();
    // the deadline job and the sweep may both run it: one notice
    await Promise.all([
      failGroupIfUnreached(deps(), failing),
      failGroupIfUnreached(deps(), failing),
    ]);
    const told = (await bell(c)).notifications;
    expect(told.map((n) => n.kind)).toEqual(['group_failed']);
    expect(told[0]!.body).toContain('草莓 500g');
  });

  it('ready for pickup, a refund decided and a commission earned are each told', async () => {
    const offerId = await makeOffer(served.db, shop, { quantity: 20 });
    const leader = await makeLeader(served.app, served.db, shop.shopId);
    const buyer = await makeBuyer(served.app, '许阿姨');
    const placed = await order(buyer, shop.streamId, { offerId, ref: leader.code });
    expect(placed.status).toBe(201);
    const declined = await makeBuyer(served.app, '何先生');
    const second = await order(declined, shop.streamId, { offerId });

    // the owner packs the shop's list: the buyer is told, with the code and where
    const ready = await shop.owner.post(
      `/api/shops/${shop.shopId}/pickup-points/${shop.shopId}/ready`,
    );
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { ready: number }).ready).toBeGreaterThanOrEqual(2);
    const told = (await bell(buyer)).notifications[0]!;
    expect(told).toMatchObject({ kind: 'order_ready', url: '/me/orders' });
    expect(told.body).toContain(placed.order!.pickupCode);
    // a leader works only their own point
    const elsewhere = await leader.client.post(
      `/api/shops/${shop.shopId}/pickup-points/${shop.shopId}/ready`,
    );
    expect(elsewhere.status).toBe(403);

    // picked up: the leader who brought the buyer hears of the commission
    const picked = await shop.owner.post(`/api/shops/${shop.shopId}/pickups`, {
      code: placed.order!.pickupCode,
    });
    expect(picked.status).toBe(200);
    const earned = (await bell(leader.client)).notifications;
    expect(earned.map((n) => n.kind)).toEqual(['commission_earned']);
    expect(earned[0]!.body).toContain('¥1.00');

    // a claim declined with a note, and an order refunded: each buyer is told
    const asked = await declined.post(`/api/orders/${second.order!.id}/refund-requests`, {
      reason: '不想要了',
    });
    expect(asked.status).toBeLessThan(300);
    expect(
      (
        await shop.owner.post(`/api/orders/${second.order!.id}/refund/decline`, {
          note: '已备货',
        })
      ).status,
    ).toBe(200);
    expect((await bell(declined)).notifications[0]).toMatchObject({ kind: 'refund_decided' });
    expect((await bell(declined)).notifications[0]!.body).toContain('已备货');
    expect((await shop.owner.post(`/api/orders/${placed.order!.id}/refund`, {})).status).toBe(200);
    expect((await bell(buyer)).notifications.map((n) => n.kind)).toEqual([
      'refund_decided',
      'order_ready',
    ]);
  });

  it("a leader application's decision reaches the applicant once, live and in the bell", async () => {
    const apply = async (name: string) => {
      const applicant = await resident(served.app, name);
      const applied = await applicant.client.post(`/api/shops/${shop.shopId}/leaders/apply`, {
        displayName: name,
        community: '康健新村',
      });
      expect(applied.status).toBe(201);
      const { leader } = (await applied.json()) as { leader: { id: string } };
      return { ...applicant, leaderId: leader.id };
    };
    const chosen = await apply('卫阿姨');
    const live = meSocket(cookieOf(chosen.client));
    const heard: { notification: Notice; unread: number }[] = [];
    live.on('notification:new', (p: { notification: Notice; unread: number }) => heard.push(p));
    await new Promise<void>((ok) => live.on('connect', () => ok()));
    const approve = () =>
      shop.owner.post(`/api/shops/${shop.shopId}/leaders/${chosen.leaderId}/approve`, {
        commissionRate: 0.1,
      });
    expect((await approve()).status).toBe(200);
    await until(() => heard.length === 1, 5000, 'the decision');
    expect(heard[0]).toMatchObject({
      unread: 1,
      notification: { kind: 'leader_decided', url: '/leader', title: '团长申请已通过' },
    });
    // approving again is refused, and tells nobody anything new
    expect((await approve()).status).toBe(409);
    await new Promise((r) => setTimeout(r, 300));
    expect(heard).toHaveLength(1);
    expect((await bell(chosen.client)).notifications.map((n) => n.kind)).toEqual([
      'leader_decided',
    ]);

    const declined = await apply('韩先生');
    const decline = () =>
      shop.owner.post(`/api/shops/${shop.shopId}/leaders/${declined.leaderId}/decline`);
    expect((await decline()).status).toBe(200);
    expect((await decline()).status).toBe(409);
    const told = (await bell(declined.client)).notifications;
    expect(told.map((n) => n.title)).toEqual(['团长申请未通过']);
    // each hears of their own decision only
    expect((await bell(chosen.client)).unread).toBe(1);
  });
});
