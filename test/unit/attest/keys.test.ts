import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/core/digest.js';
import { generateKeyPair, keyHint, loadPrivateKey, loadPublicKey, parsePrivateKey, writeKeyPair } from '../../../src/attest/keys.js';

const tmp = () => mkdtemp(join(tmpdir(), 'mlbuild-keys-'));

describe('keys', () => {
  it('generates P-256 PEM pairs; the hint is the hex sha256 of the SPKI PEM text', () => {
    const kp = generateKeyPair();
    expect(kp.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(kp.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(keyHint(kp.publicKeyPem)).toBe(sha256Hex(kp.publicKeyPem));
    expect(keyHint(kp.publicKeyPem.replace(/\n/g, '\r\n'))).toBe(sha256Hex(kp.publicKeyPem)); // canonical PEM
    expect(parsePrivateKey(kp.privateKeyPem).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  it('writes mlbuild.key (0600) and mlbuild.pub, and refuses to overwrite', async () => {
    const dir = await tmp();
    const out = await writeKeyPair(dir, { password: 'pw' });
    expect((await stat(out.privateKeyPath)).mode & 0o777).toBe(0o600);
    expect(await readFile(out.privateKeyPath, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    const pub = await loadPublicKey(out.publicKeyPath);
    expect(pub.hint).toBe(out.hint);
    const before = await readFile(out.privateKeyPath, 'utf8');
    await expect(writeKeyPair(dir)).rejects.toMatchObject({ code: 'EXISTS' });
    expect(await readFile(out.privateKeyPath, 'utf8')).toBe(before);
  });

  it('refuses when only the public half exists, leaving no private key behind', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'mlbuild.pub'), 'keep me');
    await expect(writeKeyPair(dir)).rejects.toMatchObject({ code: 'EXISTS' });
    await expect(stat(join(dir, 'mlbuild.key'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readFile(join(dir, 'mlbuild.pub'), 'utf8')).toBe('keep me');
  });

  it('loads an encrypted key with the right password; wrong or missing password is BAD_KEY', async () => {
    const dir = await tmp();
    const out = await writeKeyPair(dir, { password: 'right' });
    expect((await loadPrivateKey(out.privateKeyPath, 'right')).type).toBe('private');
    await expect(loadPrivateKey(out.privateKeyPath, 'wrong')).rejects.toMatchObject({ code: 'BAD_KEY' });
    await expect(loadPrivateKey(out.privateKeyPath)).rejects.toMatchObject({ code: 'BAD_KEY' });
  });

  it('reports missing files as NOT_FOUND and non-PEM or wrong-curve keys as BAD_KEY', async () => {
    const dir = await tmp();
    await expect(loadPrivateKey(join(dir, 'nope.key'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(loadPublicKey(join(dir, 'nope.pub'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await writeFile(join(dir, 'junk.pub'), 'not a key');
    await expect(loadPublicKey(join(dir, 'junk.pub'))).rejects.toMatchObject({ code: 'BAD_KEY' });
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    await writeFile(join(dir, 'p384.pub'), p384.publicKey.export({ type: 'spki', format: 'pem' }));
    await writeFile(join(dir, 'p384.key'), p384.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await expect(loadPublicKey(join(dir, 'p384.pub'))).rejects.toMatchObject({ code: 'BAD_KEY' });
    await expect(loadPrivateKey(join(dir, 'p384.key'))).rejects.toMatchObject({ code: 'BAD_KEY' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await writeFile(join(dir, 'rsa.pub'), rsa.publicKey.export({ type: 'spki', format: 'pem' }));
    await expect(loadPublicKey(join(dir, 'rsa.pub'))).rejects.toMatchObject({ code: 'BAD_KEY' });
    await writeFile(join(dir, 'garbled.pub'), '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n');
    await expect(loadPublicKey(join(dir, 'garbled.pub'))).rejects.toMatchObject({ code: 'BAD_KEY' });
  });
});
