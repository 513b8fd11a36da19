import { BlockList, isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { AppEnv } from '../context';

// The client's address, the one rule for every limiter and log line. X-Forwarded-For is
// written by whoever sends the request: a client can put anything at its left end, and only
// the entries appended by proxies we run can be believed. So the address is read from the
// right: the chain is X-Forwarded-For's entries followed by the socket's peer, and
// - with TRUST_PROXY=N (hops), the Nth entry from the right of X-Forwarded-For (the peer is
//   the 1st trusted proxy, and each trusted proxy appends the address it saw);
// - with TRUST_PROXY=<addresses/CIDRs>, the first address from the right, starting at the
//   peer, that is not one of our proxies;
// - with TRUST_PROXY=0 (the default), the peer; the header is ignored.
// When the chain is shorter than the trust reaches, its leftmost entry is the client.

/** How far X-Forwarded-For is believed; `false` when it is not (the socket's peer is the client). */
export type TrustProxy = false | { hops: number } | { proxies: BlockList; list: string[] };

/**
 * Parses TRUST_PROXY: a number of hops (0 = none), `true`/`false` (1/0, as before), or a
 * comma-separated list of proxy addresses and CIDRs. Throws a readable Error when malformed.
 */
export function parseTrustProxy(value: string): TrustProxy {
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'false' || v === 'no' || v === 'off') return false;
  if (v === 'true' || v === 'yes' || v === 'on') return { hops: 1 };
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > 16) throw new Error('at most 16 proxy hops');
    return hops === 0 ? false : { hops };
  }
  const proxies = new BlockList();
  const list = v.split(',').map((s) => s.trim());
  for (const entry of list) {
    const [address = '', prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    if (!family || rest.length > 0) {
      throw new Error(`"${entry}" is neither a number of hops nor an IP address or CIDR`);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) {
      proxies.addAddress(address, type);
      continue;
    }
    const bits = /^\d+$/.test(prefix) ? Number(prefix) : NaN;
    if (!(bits >= 0 && bits <= (family === 4 ? 32 : 128))) {
      throw new Error(`"${entry}" has an invalid prefix length`);
    }
    proxies.addSubnet(address, bits, type);
  }
  return { proxies, list };
}

/** An address as written in a header or by a socket: without port, brackets or IPv4-mapping. */
export function normaliseAddress(raw: string): string {
  let a = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed?.[1]) a = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(a);
  if (mapped?.[1]) a = mapped[1];
  return a.toLowerCase().slice(0, 64);
}

function isTrustedProxy(proxies: BlockList, address: string): boolean {
  const family = isIP(address);
  if (!family) return false;
  return proxies.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The client's address from the socket's peer and the X-Forwarded-For header(s), under
 * `trust` (see the rule above). Pure, for the HTTP edge, the socket layer and unit tests.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  trust: TrustProxy,
): string {
  const socket = peer ? normaliseAddress(peer) : 'unknown';
  if (!trust) return socket;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '');
  const chain = [
    ...header
      .split(',')
      .map((s) => normaliseAddress(s))
      .filter((s) => s !== ''),
    socket,
  ];
  if ('hops' in trust) return chain[Math.max(0, chain.length - 1 - trust.hops)] ?? socket;
  let i = chain.length - 1;
  while (i > 0 && isTrustedProxy(trust.proxies, chain[i] ?? '')) i -= 1;
  return chain[i] ?? socket;
}

/** The request's client address (see clientAddress); 'unknown' for app.request() in tests. */
export function clientIp(c: Context<AppEnv>): string {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    // app.request() in tests has no socket
  }
  return clientAddress(peer, c.req.header('x-forwarded-for'), c.var.deps.config.TRUST_PROXY);
}

/**
 * The key a limiter counts an address under: an IPv4 address as is, an IPv6 address by its
 * /64 (one subscriber's network: a single phone or home router gets a whole /64, and an
 * abuser could otherwise rotate through it freely).
 */
export function addressKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
