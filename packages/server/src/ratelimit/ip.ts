// The client-address part of a bucket key. `request.ip` is already the right address: Fastify's
// trustProxy is set from SPACEDUCK_TRUSTED_PROXIES, so X-Forwarded-For counts only when the
// socket peer is a listed proxy. Here we only normalise it.
import { isIPv4, isIPv6 } from 'node:net';

/** Eight 16-bit groups of an IPv6 address (which `isIPv6` has accepted). */
function groups(address: string): number[] {
  let a = address;
  const lastColon = a.lastIndexOf(':');
  const tail = a.slice(lastColon + 1);
  if (tail.includes('.')) {
    // An embedded IPv4 tail (`::ffff:192.0.2.1`) is the last two groups.
    const [p, q, r, s] = tail.split('.').map(Number) as [number, number, number, number];
    a = `${a.slice(0, lastColon + 1)}${((p << 8) | q).toString(16)}:${((r << 8) | s).toString(16)}`;
  }
  const [head, rest] = a.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = rest ? rest.split(':') : [];
  const fill = rest === undefined ? 0 : 8 - h.length - t.length;
  return [...h, ...Array<string>(fill).fill('0'), ...t].map((g) => parseInt(g, 16));
}

/**
 * IPv4 as is; IPv6 by its /64, because one subscriber (one home, one VM) usually holds a whole
 * /64 and could otherwise rotate through 2^64 addresses to get fresh buckets.
 */
export function addressKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  let a = ip.trim().toLowerCase();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  if (isIPv4(a) || !isIPv6(a)) return a;
  const g = groups(a);
  // IPv4-mapped (`::ffff:a.b.c.d`, how a dual-stack socket reports IPv4 peers) is that IPv4.
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    return [g[6]! >> 8, g[6]! & 255, g[7]! >> 8, g[7]! & 255].join('.');
  }
  return `${g.slice(0, 4).map((x) => x.toString(16)).join(':')}::/64`;
}
