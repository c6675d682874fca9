import ipaddr from 'ipaddr.js';

/**
 * What a visitor's rate limit counts by. An IPv6 host is usually given a whole /64 (a home line, a cloud
 * instance) and may use any address in it, so IPv6 visitors count by their /64; IPv4, also when written
 * as IPv6 (`::ffff:203.0.113.7`), by its address. Anything that is not an address counts as it is.
 */
export function rateLimitAddress(address: string): string {
  // Dotted IPv4, as most visitors come, is already what it counts by.
  if (!address.includes(':')) return address;
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address);
  } catch {
    return address;
  }
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const network = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${network.join(':')}::/64`;
}
