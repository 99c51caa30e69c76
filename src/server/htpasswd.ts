// Client authentication to the gate: htpasswd files with bcrypt entries (as `htpasswd -B` writes them), checked
// once per credential and remembered by its hash, since bcrypt is slow on purpose.
import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { fail } from '../core/errors.js';

/** Parsed htpasswd entries and a memo of credentials already checked. */
export class Htpasswd {
  private readonly ok = new Map<string, string>();

  private constructor(private readonly users: Map<string, string>) {}

  /** Parses htpasswd text; only bcrypt entries are accepted (CORRUPT_INPUT otherwise). */
  static parse(text: string, file = 'htpasswd'): Htpasswd {
    const users = new Map<string, string>();
    text.split(/\r?\n/).forEach((line, i) => {
      const t = line.trim();
      if (t === '' || t.startsWith('#')) return;
      const at = t.indexOf(':');
      const hash = t.slice(at + 1);
      if (at <= 0 || !/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash)) fail('CORRUPT_INPUT', `${file}:${i + 1}: not a bcrypt htpasswd entry (use htpasswd -B)`);
      users.set(t.slice(0, at), hash.replace(/^\$2y\$/, '$2b$'));
    });
    if (users.size === 0) fail('CORRUPT_INPUT', `${file}: no users`);
    return new Htpasswd(users);
  }

  /** The user named by a valid `Authorization: Basic …` header, else undefined. */
  async check(header: string | undefined): Promise<string | undefined> {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
    if (!m) return undefined;
    const memo = createHash('sha256').update(m[1]).digest('hex');
    const known = this.ok.get(memo);
    if (known) return known;
    const text = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = text.indexOf(':');
    if (colon <= 0) return undefined;
    const user = text.slice(0, colon);
    const hash = this.users.get(user);
    if (!hash || !(await bcrypt.compare(text.slice(colon + 1), hash))) return undefined;
    if (this.ok.size > 1000) this.ok.clear();
    this.ok.set(memo, user);
    return user;
  }
}
