// ECDSA P-256 key pairs in PEM: generation, writing without overwriting, loading with coded errors, key hints.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { constants as fsc } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '../core/digest.js';
import { describeError, fail } from '../core/errors.js';
import { ensureDir, failFs } from '../core/fs-errors.js';

/** The private key file name written by `writeKeyPair`. */
export const PRIVATE_KEY_FILE = 'mlbuild.key';
/** The public key file name written by `writeKeyPair`. */
export const PUBLIC_KEY_FILE = 'mlbuild.pub';

/** A generated key pair as PEM text. */
export interface KeyPairPem {
  /** PKCS#8 PEM; `ENCRYPTED PRIVATE KEY` when a password was given. */
  privateKeyPem: string;
  /** SPKI PEM. */
  publicKeyPem: string;
}

/** A loaded public key with its canonical PEM and hint. */
export interface PublicKeyInfo {
  key: KeyObject;
  pem: string;
  hint: string;
}

/** Generates an ECDSA P-256 key pair; the private key is encrypted (AES-256-CBC, PBES2) when a password is given. */
export function generateKeyPair(opts: { password?: string } = {}): KeyPairPem {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privateKeyPem = opts.password
    ? privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: opts.password })
    : privateKey.export({ type: 'pkcs8', format: 'pem' });
  return { privateKeyPem: String(privateKeyPem), publicKeyPem: String(publicKey.export({ type: 'spki', format: 'pem' })) };
}

/** Writes `dir/mlbuild.key` (0600) and `dir/mlbuild.pub`, refusing (EXISTS) to overwrite either. */
export async function writeKeyPair(
  dir: string,
  opts: { password?: string } = {},
): Promise<{ privateKeyPath: string; publicKeyPath: string; hint: string }> {
  const privateKeyPath = join(dir, PRIVATE_KEY_FILE);
  const publicKeyPath = join(dir, PUBLIC_KEY_FILE);
  await ensureDir(dir, 'key folder');
  const pair = generateKeyPair(opts);
  await writeNew(privateKeyPath, pair.privateKeyPem, 0o600);
  try {
    await writeNew(publicKeyPath, pair.publicKeyPem, 0o644);
  } catch (e) {
    await unlink(privateKeyPath).catch(() => undefined); // never leave a private key without its public half
    throw e;
  }
  return { privateKeyPath, publicKeyPath, hint: keyHint(pair.publicKeyPem) };
}

async function writeNew(path: string, text: string, mode: number): Promise<void> {
  let fh;
  try {
    fh = await open(path, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL, mode);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') fail('EXISTS', `${path} already exists; not overwriting a key`);
    failFs(e, `cannot create ${path}`);
  }
  try {
    await fh.writeFile(text);
    await fh.chmod(mode); // open()'s mode passes through the umask; set it exactly
  } catch (e) {
    await unlink(path).catch(() => undefined); // no half-written key left behind
    failFs(e, `cannot write ${path}`);
  } finally {
    await fh.close();
  }
}

/** Hex SHA-256 of the canonical SPKI PEM text of a public key (the bundle's `publicKey.hint`). */
export function keyHint(publicKeyPem: string | KeyObject): string {
  return sha256Hex(canonicalPublicPem(publicKeyPem));
}

/** The public key re-exported as Node/OpenSSL writes SPKI PEM (64-column base64, LF endings, final newline). */
export function canonicalPublicPem(key: string | KeyObject): string {
  const obj = typeof key === 'string' ? parsePublicKey(key) : key;
  return String(obj.export({ type: 'spki', format: 'pem' }));
}

/** Parses an SPKI PEM public key and checks it is ECDSA P-256 (BAD_KEY otherwise). */
export function parsePublicKey(pem: string, what = 'public key'): KeyObject {
  if (!/-----BEGIN PUBLIC KEY-----/.test(pem)) fail('BAD_KEY', `${what} is not an SPKI PEM public key`);
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (e) {
    fail('BAD_KEY', `${what} cannot be parsed: ${describeError(e)}`, { cause: e });
  }
  checkCurve(key, what);
  return key;
}

/** Parses a PKCS#8 (optionally encrypted) or SEC1 PEM private key; a wrong or missing password is BAD_KEY. */
export function parsePrivateKey(pem: string, password?: string, what = 'private key'): KeyObject {
  if (!/-----BEGIN (ENCRYPTED |EC )?PRIVATE KEY-----/.test(pem)) fail('BAD_KEY', `${what} is not a PEM private key`);
  const encrypted = pem.includes('ENCRYPTED PRIVATE KEY') || /Proc-Type:\s*4,ENCRYPTED/.test(pem);
  if (encrypted && !password) {
    fail('BAD_KEY', `${what} is encrypted and no password was given`, { hint: 'set MLBUILD_KEY_PASSWORD' });
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem', passphrase: encrypted ? password : undefined });
  } catch (e) {
    const msg = encrypted ? `${what}: wrong password or damaged key` : `${what} cannot be parsed`;
    fail('BAD_KEY', `${msg}: ${describeError(e)}`, { cause: e });
  }
  checkCurve(key, what);
  return key;
}

function checkCurve(key: KeyObject, what: string): void {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') {
    fail('BAD_KEY', `${what} is ${key.asymmetricKeyType ?? 'unknown'}${curve ? ` ${curve}` : ''}, want ECDSA P-256`);
  }
}

/** Loads a private key file (NOT_FOUND when missing, BAD_KEY when unusable). */
export async function loadPrivateKey(path: string, password?: string): Promise<KeyObject> {
  return parsePrivateKey(await readKeyFile(path), password, path);
}

/** Loads a public key file with its canonical PEM and hint (NOT_FOUND when missing, BAD_KEY when unusable). */
export async function loadPublicKey(path: string): Promise<PublicKeyInfo> {
  const key = parsePublicKey(await readKeyFile(path), path);
  const pem = canonicalPublicPem(key);
  return { key, pem, hint: sha256Hex(pem) };
}

async function readKeyFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') fail('NOT_FOUND', `key file not found: ${path}`);
    fail('BAD_KEY', `cannot read key file ${path}: ${describeError(e)}`, { cause: e });
  }
}
