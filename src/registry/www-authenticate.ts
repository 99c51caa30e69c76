// Parsing of `WWW-Authenticate` challenges (RFC 7235), e.g. `Bearer realm="…",service="…",scope="…"`.

/** One challenge: the scheme in lower case and its parameters (names in lower case). */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

/** Parses a header value into its challenges; malformed tails are ignored rather than thrown. */
export function parseWwwAuthenticate(header: string): Challenge[] {
  const out: Challenge[] = [];
  let s = header.trim();
  let current: Challenge | undefined;
  while (s.length > 0) {
    s = s.replace(/^[\s,]+/, '');
    const tok = TOKEN.exec(s);
    if (!tok) break;
    const name = tok[0];
    const after = s.slice(name.length).replace(/^\s*/, '');
    if (after.startsWith('=') && current) {
      // An auth-param of the current challenge: name=token or name="quoted".
      let rest = after.slice(1).replace(/^\s*/, '');
      let value = '';
      if (rest.startsWith('"')) {
        let i = 1;
        while (i < rest.length && rest[i] !== '"') {
          if (rest[i] === '\\' && i + 1 < rest.length) i++;
          value += rest[i];
          i++;
        }
        rest = rest.slice(i + 1);
      } else {
        const m = /^[^,\s]*/.exec(rest);
        value = m ? m[0] : '';
        rest = rest.slice(value.length);
      }
      current.params[name.toLowerCase()] = value;
      s = rest;
    } else {
      // A new challenge; a token68 value (e.g. `Negotiate abc==`) is kept as `token`.
      current = { scheme: name.toLowerCase(), params: {} };
      out.push(current);
      s = after;
      const t68 = /^([A-Za-z0-9\-._~+/]+=*)\s*(?:,|$)/.exec(s);
      if (t68 && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+\s*=[^=]/.test(s)) {
        current.params.token = t68[1] ?? '';
        s = s.slice(t68[0].length);
      }
    }
  }
  return out;
}
