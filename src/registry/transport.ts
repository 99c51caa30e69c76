// Which scheme a registry is spoken to with: HTTPS, or plain HTTP for loopback and explicitly insecure hosts.
import { apiHost } from './reference.js';

/** True for loopback hosts (`localhost`, 127.0.0.0/8, `::1`), with or without a port. */
export function isLoopbackHost(registry: string): boolean {
  let host = registry.toLowerCase();
  if (host.startsWith('[')) host = host.slice(1, host.indexOf(']'));
  else host = host.replace(/:\d+$/, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The base URL of a registry's API (`http(s)://host[:port]`); `insecure` lists hosts allowed plain HTTP. */
export function registryBaseUrl(registry: string, insecure: readonly string[] = []): URL {
  const host = apiHost(registry);
  const plain = isLoopbackHost(host) || insecure.some((h) => h.toLowerCase() === registry.toLowerCase());
  return new URL(`${plain ? 'http' : 'https'}://${host}`);
}
