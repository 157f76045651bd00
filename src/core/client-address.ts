import { BlockList, isIP } from 'node:net';

/** True for a peer whose `X-Forwarded-For` is believed (a proxy named by TRUST_PROXY). */
export type ProxyTrust = (address: string) => boolean;

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) → `10.0.0.1`, so both spellings are one address. */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/** `127.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8` → a matcher (Node's BlockList; entries are validated by the config schema). */
export function proxyTrust(entries: readonly string[]): ProxyTrust {
  if (entries.length === 0) return () => false;
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return (address) => {
    const plain = normalizeAddress(address);
    const family = isIP(plain);
    return family !== 0 && list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  };
}

/**
 * The client's address: starting from the socket's peer, each trusted proxy
 * hands over to the hop it says it forwarded for, walking `X-Forwarded-For`
 * from the right. The first untrusted hop is the client; the leftmost entry is
 * never believed on its own, since anyone can send `X-Forwarded-For: 1.2.3.4`.
 * A hop that is not an address ends the walk at the proxy that wrote it.
 */
export function clientAddress(remoteAddress: string | undefined, forwardedFor: string | string[] | undefined, trusted: ProxyTrust): string {
  let address = remoteAddress ? normalizeAddress(remoteAddress) : 'unknown';
  if (!forwardedFor) return address;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
  for (let i = hops.length - 1; i >= 0 && trusted(address); i--) {
    const hop = normalizeAddress(hops[i]!.trim());
    if (isIP(hop) === 0) break;
    address = hop;
  }
  return address;
}

/** Loopback peers (this machine): 127.0.0.0/8 and ::1, either spelling. */
export const isLoopback: ProxyTrust = proxyTrust(['127.0.0.0/8', '::1']);
