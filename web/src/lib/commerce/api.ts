// Commerce answers as the web app reads them, checked at runtime (no casts on API data).

export type OrderStatus =
  'pending_group' | 'confirmed' | 'ready' | 'picked_up' | 'cancelled' | 'refunded';
const STATUSES: readonly OrderStatus[] = [
  'pending_group',
  'confirmed',
  'ready',
  'picked_up',
  'cancelled',
  'refunded',
];
export const ORDER_STATUSES = STATUSES;

export interface PickupPoint {
  id: string;
  kind: 'shop' | 'leader';
  name: string;
  address: string | null;
  hours: string | null;
}

export interface Order {
  id: string;
  status: OrderStatus;
  shopId: string;
  streamId: string;
  offerId: string;
  productName: string;
  unitPriceCents: number;
  quantity: number;
  totalCents: number;
  pickupCode: string;
  pickupPointId: string;
  cancelReason: string | null;
  createdAt: string;
}

export interface OrderDetail extends Order {
  buyerName: string;
  phone: string;
  shop: { id: string; slug: string; name: string };
  streamTitle: string;
  pickupPoint: PickupPoint;
  refundStatus: 'open' | 'approved' | 'declined' | null;
}

export interface RefundRequest {
  id: string;
  orderId: string;
  buyerName: string;
  productName: string;
  quantity: number;
  totalCents: number;
  orderStatus: string;
  pickupCode: string;
  reason: string;
  photoUrl: string | null;
  status: 'open' | 'approved' | 'declined';
  note: string | null;
  createdAt: string;
  ageSeconds: number;
}

export interface Product {
  id: string;
  name: string;
  description: string | null;
  story: string | null;
  imageUrl: string | null;
  priceCents: number;
  stock: number;
  archived: boolean;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const int = (v: unknown): number | null =>
  Number.isSafeInteger(v) && typeof v === 'number' ? v : null;
const nullableStr = (v: unknown): string | null | undefined =>
  v === null ? null : typeof v === 'string' ? v : undefined;

function list<T>(value: unknown, key: string, parse: (v: unknown) => T | null): T[] | null {
  if (!isObject(value) || !Array.isArray(value[key])) return null;
  const out: T[] = [];
  for (const entry of value[key]) {
    const parsed = parse(entry);
    if (parsed === null) return null;
    out.push(parsed);
  }
  return out;
}

export function parsePickupPoint(v: unknown): PickupPoint | null {
  if (!isObject(v)) return null;
  const id = str(v.id);
  const name = str(v.name);
  const address = nullableStr(v.address);
  const hours = nullableStr(v.hours);
  if (!id || name === null || address === undefined || hours === undefined) return null;
  if (v.kind !== 'shop' && v.kind !== 'leader') return null;
  return { id, kind: v.kind, name, address, hours };
}

export function parseOrder(v: unknown): Order | null {
  if (!isObject(v)) return null;
  const status = STATUSES.find((s) => s === v.status);
  const fields = {
    id: str(v.id),
    shopId: str(v.shopId),
    streamId: str(v.streamId),
    offerId: str(v.offerId),
    productName: str(v.productName),
    pickupCode: str(v.pickupCode),
    pickupPointId: str(v.pickupPointId),
    createdAt: str(v.createdAt),
  };
  const unitPriceCents = int(v.unitPriceCents);
  const quantity = int(v.quantity);
  const totalCents = int(v.totalCents);
  const cancelReason = nullableStr(v.cancelReason);
  if (
    !status ||
    Object.values(fields).some((f) => f === null) ||
    unitPriceCents === null ||
    quantity === null ||
    totalCents === null ||
    cancelReason === undefined
  ) {
    return null;
  }
  return {
    id: fields.id ?? '',
    shopId: fields.shopId ?? '',
    streamId: fields.streamId ?? '',
    offerId: fields.offerId ?? '',
    productName: fields.productName ?? '',
    pickupCode: fields.pickupCode ?? '',
    pickupPointId: fields.pickupPointId ?? '',
    createdAt: fields.createdAt ?? '',
    status,
    unitPriceCents,
    quantity,
    totalCents,
    cancelReason,
  };
}

export function parseOrderDetail(v: unknown): OrderDetail | null {
  const order = parseOrder(v);
  if (!order || !isObject(v) || !isObject(v.shop)) return null;
  const point = parsePickupPoint(v.pickupPoint);
  const buyerName = str(v.buyerName);
  const phone = str(v.phone);
  const streamTitle = str(v.streamTitle);
  const shopId = str(v.shop.id);
  const slug = str(v.shop.slug);
  const shopName = str(v.shop.name);
  const refund = v.refundStatus;
  if (
    !point ||
    buyerName === null ||
    phone === null ||
    streamTitle === null ||
    !shopId ||
    !slug ||
    shopName === null
  ) {
    return null;
  }
  if (refund !== null && refund !== 'open' && refund !== 'approved' && refund !== 'declined') {
    return null;
  }
  return {
    ...order,
    buyerName,
    phone,
    streamTitle,
    shop: { id: shopId, slug, name: shopName },
    pickupPoint: point,
    refundStatus: refund,
  };
}

export const parseOrderEnvelope = (v: unknown): { order: Order } | null => {
  const order = isObject(v) ? parseOrder(v.order) : null;
  return order ? { order } : null;
};
export const parseOrderDetailEnvelope = (v: unknown): { order: OrderDetail } | null => {
  const order = isObject(v) ? parseOrderDetail(v.order) : null;
  return order ? { order } : null;
};
export const parseOrderList = (v: unknown) => list(v, 'orders', parseOrderDetail);
export const parsePickupPoints = (v: unknown) => list(v, 'pickupPoints', parsePickupPoint);

export function parseRefundRequest(v: unknown): RefundRequest | null {
  if (!isObject(v)) return null;
  const s = {
    id: str(v.id),
    orderId: str(v.orderId),
    buyerName: str(v.buyerName),
    productName: str(v.productName),
    orderStatus: str(v.orderStatus),
    pickupCode: str(v.pickupCode),
    reason: str(v.reason),
    createdAt: str(v.createdAt),
  };
  const n = {
    quantity: int(v.quantity),
    totalCents: int(v.totalCents),
    ageSeconds: int(v.ageSeconds),
  };
  const photoUrl = nullableStr(v.photoUrl);
  const note = nullableStr(v.note);
  const status =
    v.status === 'open' || v.status === 'approved' || v.status === 'declined' ? v.status : null;
  if (
    Object.values(s).some((x) => x === null) ||
    Object.values(n).some((x) => x === null) ||
    photoUrl === undefined ||
    note === undefined ||
    !status
  ) {
    return null;
  }
  return {
    id: s.id ?? '',
    orderId: s.orderId ?? '',
    buyerName: s.buyerName ?? '',
    productName: s.productName ?? '',
    orderStatus: s.orderStatus ?? '',
    pickupCode: s.pickupCode ?? '',
    reason: s.reason ?? '',
    createdAt: s.createdAt ?? '',
    quantity: n.quantity ?? 0,
    totalCents: n.totalCents ?? 0,
    ageSeconds: n.ageSeconds ?? 0,
    photoUrl,
    note,
    status,
  };
}
export const parseRefundList = (v: unknown) => list(v, 'refundRequests', parseRefundRequest);

export function parseProduct(v: unknown): Product | null {
  if (!isObject(v)) return null;
  const id = str(v.id);
  const name = str(v.name);
  const description = nullableStr(v.description);
  const story = nullableStr(v.story);
  const imageUrl = nullableStr(v.imageUrl);
  const priceCents = int(v.priceCents);
  const stock = int(v.stock);
  if (
    !id ||
    name === null ||
    description === undefined ||
    story === undefined ||
    imageUrl === undefined ||
    priceCents === null ||
    stock === null ||
    typeof v.archived !== 'boolean'
  ) {
    return null;
  }
  return { id, name, description, story, imageUrl, priceCents, stock, archived: v.archived };
}
export const parseProductList = (v: unknown) => list(v, 'products', parseProduct);
export const parseProductEnvelope = (v: unknown): { product: Product } | null => {
  const product = isObject(v) ? parseProduct(v.product) : null;
  return product ? { product } : null;
};

/** Mainland mobile numbers, or E.164: the same rule as the API. */
export function isPhone(value: string): boolean {
  return /^(1[3-9]\d{9}|\+[1-9]\d{7,14})$/.test(value.trim());
}

/** The price typed in yuan ("12.5") as integer cents, or null. */
export function yuanToCents(value: string): number | null {
  const m = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
