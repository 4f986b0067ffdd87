// The SSRF guard: a webhook may only reach public unicast addresses. Checked when an endpoint
// is saved and again at every delivery, on the very address the socket connects to (the
// lookup below is handed to the HTTP client), so a DNS answer that changes between the check
// and the connection (DNS rebinding) cannot slip a private address through.
import dns from 'node:dns';
import net from 'node:net';

const blocked = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8], // "this" network, unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) blocked.addSubnet(prefix, bits, 'ipv4');
for (const [prefix, bits] of [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible form
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001::', 23], // IETF protocol assignments (Teredo, ORCHID, …)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: embeds an arbitrary IPv4 address
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) blocked.addSubnet(prefix, bits, 'ipv6');

/** The IPv4 address an IPv6 address carries (IPv4-mapped or NAT64), if any. */
function embeddedIpv4(v6: string): string | undefined {
  const m = /^(?:::ffff:|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(v6);
  if (!m) return undefined;
  if (m[1]) return m[1];
  const hi = parseInt(m[2]!, 16), lo = parseInt(m[3]!, 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/** True when `address` (an IP literal) is loopback, private, link-local, multicast, unspecified or otherwise not public. */
export function isForbiddenAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  const v4 = embeddedIpv4(address.toLowerCase());
  if (v4 && isForbiddenAddress(v4)) return true;
  return blocked.check(address, 'ipv6');
}

export class UnsafeTargetError extends Error {}

const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1');

/** Every address `hostname` resolves to, refusing the lot if any one is forbidden. */
export async function resolvePublic(hostname: string, timeoutMs = 5000): Promise<dns.LookupAddress[]> {
  const host = bare(hostname);
  if (net.isIP(host)) {
    if (isForbiddenAddress(host)) throw new UnsafeTargetError(`${host} is not a public address`);
    return [{ address: host, family: net.isIP(host) }];
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UnsafeTargetError(`${host} did not resolve in time`)), timeoutMs);
  });
  try {
    const all = await Promise.race([dns.promises.lookup(host, { all: true, verbatim: true }), timeout]);
    if (!all.length) throw new UnsafeTargetError(`${host} does not resolve`);
    const bad = all.find((a) => isForbiddenAddress(a.address));
    if (bad) throw new UnsafeTargetError(`${host} resolves to ${bad.address}, which is not a public address`);
    return all;
  } catch (err) {
    if (err instanceof UnsafeTargetError) throw err;
    throw new UnsafeTargetError(`${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? 'lookup failed'})`);
  } finally {
    clearTimeout(timer);
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** A `lookup` for http.request that only ever yields checked public addresses. */
export function guardedLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  resolvePublic(hostname).then((all) => {
    const wanted = options.family === 4 || options.family === 6 ? all.filter((a) => a.family === options.family) : all;
    if (!wanted.length) return callback(Object.assign(new Error(`${hostname} has no address of family ${options.family}`), { code: 'ENOTFOUND' }), '');
    if (options.all) return callback(null, wanted);
    callback(null, wanted[0]!.address, wanted[0]!.family);
  }, (err: Error) => callback(Object.assign(err, { code: 'EUNSAFE' }), ''));
}
