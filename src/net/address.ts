/**
 * Which IP addresses a server-side fetch must not reach (SSRF guard).
 *
 * Parsed by hand instead of with `net.BlockList` so every rule is visible here and the
 * IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by the
 * IPv4 address they actually lead to.
 */
import { isIP } from 'node:net';

type Ipv4Range = readonly [base: number, prefixBits: number];

const ip4 = (a: number, b: number, c: number, d: number): number => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

/** Not reachable on the public internet, or reaching the host itself. */
const PRIVATE_IPV4: readonly Ipv4Range[] = [
  [ip4(0, 0, 0, 0), 8], // "this network", includes 0.0.0.0 (Linux connects it to localhost)
  [ip4(10, 0, 0, 0), 8],
  [ip4(100, 64, 0, 0), 10], // CGNAT
  [ip4(127, 0, 0, 0), 8],
  [ip4(169, 254, 0, 0), 16], // link-local, cloud metadata endpoints live here
  [ip4(172, 16, 0, 0), 12],
  [ip4(192, 0, 0, 0), 24], // IETF protocol assignments
  [ip4(192, 0, 2, 0), 24], // documentation
  [ip4(192, 88, 99, 0), 24], // deprecated 6to4 relay anycast
  [ip4(192, 168, 0, 0), 16],
  [ip4(198, 18, 0, 0), 15], // benchmarking
  [ip4(198, 51, 100, 0), 24], // documentation
  [ip4(203, 0, 113, 0), 24], // documentation
  [ip4(224, 0, 0, 0), 4], // multicast
  [ip4(240, 0, 0, 0), 4], // reserved + broadcast
];

export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value >>> 0;
}

/** Eight 16-bit groups, or undefined when `text` is not an IPv6 address. */
export function parseIpv6(text: string): number[] | undefined {
  let s = text;
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (isIP(s) !== 6) return undefined;

  // A trailing dotted IPv4 (e.g. ::ffff:127.0.0.1) stands for the last two groups.
  const lastColon = s.lastIndexOf(':');
  const last = s.slice(lastColon + 1);
  if (last.includes('.')) {
    const v4 = parseIpv4(last);
    if (v4 === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }

  const halves = s.split('::');
  const toGroups = (h: string): number[] => (h === '' ? [] : h.split(':').map((g) => parseInt(g, 16)));
  const head = toGroups(halves[0]);
  const rest = halves.length > 1 ? toGroups(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...rest];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

function isPrivateIpv4(value: number): boolean {
  return PRIVATE_IPV4.some(([base, bits]) => {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return ((value & mask) >>> 0) === base;
  });
}

function isPrivateIpv6(g: number[]): boolean {
  const embeddedV4 = (hi: number, lo: number) => ((hi << 16) | lo) >>> 0;
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);

  if (zeros(0, 5) && g[5] === 0xffff) return isPrivateIpv4(embeddedV4(g[6], g[7])); // ::ffff:a.b.c.d mapped
  if (zeros(0, 6)) {
    // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
    if (g[6] === 0 && g[7] <= 1) return true;
    return isPrivateIpv4(embeddedV4(g[6], g[7]));
  }
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return isPrivateIpv4(embeddedV4(g[6], g[7])); // ::ffff:0:a.b.c.d translated
  if (g[0] === 0x64 && g[1] === 0xff9b) {
    if (zeros(2, 6)) return isPrivateIpv4(embeddedV4(g[6], g[7])); // NAT64 64:ff9b::/96
    if (g[2] === 1) return true; // local-use NAT64 64:ff9b:1::/48
  }
  if (g[0] === 0x2002) return isPrivateIpv4(embeddedV4(g[1], g[2])); // 6to4 carries an IPv4 address
  if (g[0] === 0x2001 && g[1] === 0) return true; // Teredo: tunnels to an address we cannot see
  if (g[0] === 0x2001 && g[1] === 0x0db8) return true; // documentation
  if (g[0] === 0x0100 && zeros(1, 4)) return true; // discard-only 100::/64
  if ((g[0] & 0xfe00) === 0xfc00) return true; // unique local fc00::/7
  if ((g[0] & 0xffc0) === 0xfe80) return true; // link-local fe80::/10
  if ((g[0] & 0xffc0) === 0xfec0) return true; // site-local fec0::/10 (deprecated, still routed privately)
  if ((g[0] & 0xff00) === 0xff00) return true; // multicast
  return false;
}

/**
 * True when `address` (an IP literal, IPv6 optionally in brackets) must not be fetched from.
 * Anything that is not an IP literal counts as private: the caller should only ever ask about
 * addresses a socket is about to connect to.
 */
export function isPrivateAddress(address: string): boolean {
  const v4 = parseIpv4(address);
  if (v4 !== undefined) return isPrivateIpv4(v4);
  const v6 = parseIpv6(address);
  if (v6 !== undefined) return isPrivateIpv6(v6);
  return true;
}

/** Host names that mean "this machine" without asking DNS (RFC 6761). */
export function isLocalHostName(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost');
}

/** `[::1]` → `::1`; other host names unchanged. */
export function stripBrackets(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}
