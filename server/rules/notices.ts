import type { NotificationKind } from '../../db/notifications.schema';

// What each notice says, in the recipient's language (users.locale; Chinese by default),
// for the bell and for email alike. Pure: the data is what the event recorded.

type Data = Record<string, unknown>;
type Locale = 'zh-CN' | 'en';

export interface NoticeText {
  title: string;
  body: string;
  /** where tapping the notice goes: a path of this app */
  url: string | null;
}

const str = (data: Data, key: string): string => {
  const v = data[key];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
};
const yuan = (cents: unknown) => (typeof cents === 'number' ? (cents / 100).toFixed(2) : '0.00');

const TEXTS: Record<NotificationKind, Record<Locale, (d: Data) => [string, string]>> = {
  stream_live: {
    'zh-CN': (d) => [
      `${str(d, 'shopName')} 开播了`,
      `你预约的「${str(d, 'streamTitle')}」正在直播，快来看看。`,
    ],
    en: (d) => [
      `${str(d, 'shopName')} is live`,
      `“${str(d, 'streamTitle')}”, which you asked to be reminded of, has started.`,
    ],
  },
  group_formed: {
    'zh-CN': (d) => ['拼团成功', `「${str(d, 'productName')}」已成团，你的订单已确认。`],
    en: (d) => [
      'Your group buy formed',
      `The group for “${str(d, 'productName')}” is complete; your order is confirmed.`,
    ],
  },
  group_failed: {
    'zh-CN': (d) => [
      '拼团未成',
      `「${str(d, 'productName')}」到截止时间未成团，订单已取消，无需付款。`,
    ],
    en: (d) => [
      'Your group buy did not form',
      `“${str(d, 'productName')}” did not reach its group in time; the order is cancelled and nothing is owed.`,
    ],
  },
  order_ready: {
    'zh-CN': (d) => [
      '可以取货了',
      `「${str(d, 'productName')}」已备好，取货码 ${str(d, 'pickupCode')}，请到${str(d, 'pickupPoint')}取货。`,
    ],
    en: (d) => [
      'Ready for pickup',
      `“${str(d, 'productName')}” is ready: pickup code ${str(d, 'pickupCode')}, at ${str(d, 'pickupPoint')}.`,
    ],
  },
  refund_decided: {
    'zh-CN': (d) =>
      d.approved
        ? ['退款已通过', `「${str(d, 'productName')}」的售后申请已通过。`]
        : ['售后申请未通过', `「${str(d, 'productName')}」的售后申请未通过：${str(d, 'note')}`],
    en: (d) =>
      d.approved
        ? ['Refund approved', `Your claim for “${str(d, 'productName')}” was approved.`]
        : [
            'Claim declined',
            `Your claim for “${str(d, 'productName')}” was declined: ${str(d, 'note')}`,
          ],
  },
  leader_decided: {
    'zh-CN': (d) =>
      d.approved
        ? ['团长申请已通过', `你已成为 ${str(d, 'shopName')} 的团长，快去分享你的专属链接吧。`]
        : ['团长申请未通过', `${str(d, 'shopName')} 暂未通过你的团长申请。`],
    en: (d) =>
      d.approved
        ? [
            'You are a leader now',
            `${str(d, 'shopName')} approved you as a leader: share your link.`,
          ]
        : [
            'Leader application declined',
            `${str(d, 'shopName')} did not approve your application.`,
          ],
  },
  commission_earned: {
    'zh-CN': (d) => [
      '佣金到账',
      `「${str(d, 'productName')}」已取货，你获得佣金 ¥${yuan(d.amountCents)}。`,
    ],
    en: (d) => [
      'Commission earned',
      `“${str(d, 'productName')}” was picked up: you earned ¥${yuan(d.amountCents)}.`,
    ],
  },
  waitlist_offer: {
    'zh-CN': (d) => ['候补到你了', `「${str(d, 'productName')}」为你保留了 1 件，请尽快确认购买。`],
    en: (d) => [
      'Your turn on the waitlist',
      `One “${str(d, 'productName')}” is held for you: confirm it soon.`,
    ],
  },
};

const URLS: Record<NotificationKind, (streamId: string | null) => string | null> = {
  stream_live: (s) => (s ? `/live/${s}` : null),
  waitlist_offer: (s) => (s ? `/live/${s}` : null),
  group_formed: () => '/me/orders',
  group_failed: () => '/me/orders',
  order_ready: () => '/me/orders',
  refund_decided: () => '/me/orders',
  leader_decided: () => '/leader',
  commission_earned: () => '/leader',
};

export function noticeText(
  kind: NotificationKind,
  data: Data,
  streamId: string | null,
  locale: string | null,
): NoticeText {
  const [title, body] = TEXTS[kind][locale === 'en' ? 'en' : 'zh-CN'](data);
  return { title, body, url: URLS[kind](streamId) };
}
