// Parsing the gate's flags: durations, the listen address and the upstream URL.
import { fail } from '../../core/index.js';
import { isLoopbackHost } from '../../registry/index.js';

/** A duration such as `300`, `90s`, `5m`, `1h` or `250ms`, in milliseconds (USAGE when malformed). */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) fail('USAGE', `${flag} ${text}: not a duration (e.g. 30s, 5m, 1h)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] ?? 1000;
  return Math.round(Number(m[1]) * unit);
}

/** `HOST:PORT` (or `[v6]:PORT`, or `:PORT` for 127.0.0.1) as host and port. */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) fail('USAGE', `--listen ${text}: expected HOST:PORT`);
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

/** The upstream registry from --upstream (`http://HOST[:PORT]`, `https://…` or a bare host): host and whether plain HTTP. */
export function parseUpstream(text: string): { host: string; insecure: boolean } {
  const withScheme = /^[a-z]+:\/\//i.test(text) ? text : `https://${text}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    fail('USAGE', `--upstream ${text}: not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') fail('USAGE', `--upstream ${text}: only http and https registries`);
  if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.username) fail('USAGE', `--upstream ${text}: give the registry's base URL only (no path, query or credentials)`);
  const host = u.host;
  return { host, insecure: u.protocol === 'http:' && !isLoopbackHost(host) };
}
