import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Webhook receivers must be on the public internet unless the operator says
 * otherwise (CONNECTS_WEBHOOK_ALLOW_PRIVATE=1): an admin token must not be
 * enough to make the server POST to its own loopback services, the cloud
 * metadata endpoint (169.254.169.254) or the private network behind it.
 * Checked on the literal address at registration and on every resolved
 * address at delivery (a public name may point inside).
 */
const internal = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  internal.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  internal.addSubnet(net, prefix, 'ipv6');
}

/** The 8 groups of an IPv6 address (the :: expanded, a dotted IPv4 tail turned into two groups). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1] !== undefined) {
    const [a, b, c, d] = dotted[1].split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** The IPv4 address an IPv6 one carries (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16). */
function embeddedIpv4(address: string): string | undefined {
  const g = ipv6Groups(address);
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return v4(g[6] ?? 0, g[7] ?? 0);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0))
    return v4(g[6] ?? 0, g[7] ?? 0);
  if (g[0] === 0x2002) return v4(g[1] ?? 0, g[2] ?? 0);
  return undefined;
}

/** True for loopback, link-local, private, shared, multicast and reserved addresses, IPv4 or IPv6. */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return internal.check(address, 'ipv4');
  if (family !== 6) return false;
  const carried = embeddedIpv4(address);
  if (carried !== undefined && internal.check(carried, 'ipv4')) return true;
  return internal.check(address, 'ipv6');
}

/** The host of a URL as an address or name: brackets of an IPv6 literal removed. */
export function urlHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

const LOCAL_NAMES = /(^|\.)localhost\.?$/i;

/** Why a registered URL's host is internal by itself (a literal address or localhost), or undefined. */
export function internalLiteral(url: URL): string | undefined {
  const host = urlHost(url);
  if (LOCAL_NAMES.test(host)) return `${host} is the local machine`;
  if (isIP(host) !== 0 && isInternalAddress(host))
    return `${host} is a loopback, link-local or private address`;
  return undefined;
}

export type Resolver = (host: string) => Promise<readonly string[]>;

const systemResolver: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * Why delivering to this URL is refused now, or undefined when every address
 * its host resolves to is public. A receiver whose name changes between this
 * check and the connection is not caught (the connection resolves again).
 */
export async function internalTarget(
  url: string,
  resolve: Resolver = systemResolver,
): Promise<string | undefined> {
  const parsed = new URL(url);
  const literal = internalLiteral(parsed);
  if (literal !== undefined) return literal;
  const host = urlHost(parsed);
  if (isIP(host) !== 0) return undefined;
  const addresses = await resolve(host);
  const inside = addresses.find(isInternalAddress);
  return inside === undefined
    ? undefined
    : `${host} resolves to ${inside}, a loopback, link-local or private address`;
}
