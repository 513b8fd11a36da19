import { describe, expect, it } from 'vitest';
import { addressKey, clientAddress, normaliseAddress, parseTrustProxy } from './client-ip';

const peer = '10.0.0.5';

describe('the client address', () => {
  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    for (const value of ['0', 'false', 'no']) {
      const trust = parseTrustProxy(value);
      expect(trust).toBe(false);
      expect(clientAddress(peer, '6.6.6.6', trust)).toBe(peer);
      expect(clientAddress('::ffff:192.0.2.7', '6.6.6.6, 7.7.7.7', trust)).toBe('192.0.2.7');
    }
  });

  it('with N hops is the Nth entry from the right of X-Forwarded-For', () => {
    expect(parseTrustProxy('true')).toEqual({ hops: 1 });
    const one = parseTrustProxy('1');
    expect(clientAddress(peer, '203.0.113.9', one)).toBe('203.0.113.9');
    // a client prepending fake entries only adds to the left
    expect(clientAddress(peer, '1.1.1.1, 2.2.2.2, 203.0.113.9', one)).toBe('203.0.113.9');
    // several headers count as one list, in order
    expect(clientAddress(peer, ['1.1.1.1', '203.0.113.9'], one)).toBe('203.0.113.9');
    const two = parseTrustProxy('2');
    expect(clientAddress(peer, '1.1.1.1, 203.0.113.9, 172.16.0.2', two)).toBe('203.0.113.9');
    // fewer entries than hops: the leftmost there is
    expect(clientAddress(peer, '203.0.113.9', two)).toBe('203.0.113.9');
    // no header at all: the peer
    expect(clientAddress(peer, undefined, one)).toBe(peer);
  });

  it('with a list of proxies is the first address from the right that is not one of them', () => {
    const trust = parseTrustProxy('10.0.0.0/8, 172.16.0.1, fd00::/8');
    expect(clientAddress(peer, '1.1.1.1, 203.0.113.9, 10.1.2.3', trust)).toBe('203.0.113.9');
    expect(clientAddress(peer, '203.0.113.9, 172.16.0.1', trust)).toBe('203.0.113.9');
    expect(clientAddress('fd00::1', '2001:db8::7', trust)).toBe('2001:db8::7');
    // a peer that is not one of our proxies is the client: its header is not believed
    expect(clientAddress('198.51.100.4', '1.1.1.1', trust)).toBe('198.51.100.4');
    // every entry a proxy: the leftmost
    expect(clientAddress(peer, '10.9.9.9', trust)).toBe('10.9.9.9');
  });

  it('reads addresses with ports, brackets and IPv4 mapping', () => {
    expect(normaliseAddress(' 203.0.113.9:5060 ')).toBe('203.0.113.9');
    expect(normaliseAddress('[2001:DB8::1]:443')).toBe('2001:db8::1');
    expect(normaliseAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
  });

  it('refuses a malformed TRUST_PROXY', () => {
    expect(() => parseTrustProxy('nginx')).toThrow(/neither a number of hops/);
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/prefix/);
    expect(() => parseTrustProxy('99')).toThrow(/at most 16/);
  });

  it('counts an IPv6 client by its /64 and an IPv4 client by its address', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('unknown')).toBe('unknown');
  });
});
