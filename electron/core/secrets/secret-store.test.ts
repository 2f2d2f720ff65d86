import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encryptedFileSecretStore, memorySecretStore, type SecretCipher } from './secret-store';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  // A folder with a space, '#' and non-ASCII, as user data folders are.
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets #データ '));
  dirs.push(d);
  return d;
};

/** A stand-in for safeStorage: reversible, and never the plain text. */
const xorCipher: SecretCipher = {
  protection: 'os-keychain',
  encrypt: async (s) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)),
  decrypt: async (b) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8'),
};

describe('secret stores', () => {
  it('the encrypted file holds only ciphertext, survives a new store on the same file, and forgets deleted keys', async () => {
    const file = path.join(tempDir(), 'secrets.json');
    const a = encryptedFileSecretStore(file, xorCipher);
    expect(await a.get('mlflow-remote:https://mlflow.example.com')).toBeNull();
    await a.set('mlflow-remote:https://mlflow.example.com', 'tok-SECRET-123');
    await a.set('other', 'x');
    expect(fs.readFileSync(file, 'utf8')).not.toContain('tok-SECRET-123');
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const b = encryptedFileSecretStore(file, xorCipher);
    expect(await b.get('mlflow-remote:https://mlflow.example.com')).toBe('tok-SECRET-123');
    await b.delete('mlflow-remote:https://mlflow.example.com');
    expect(await a.get('mlflow-remote:https://mlflow.example.com')).toBeNull();
    expect(await a.get('other')).toBe('x');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['secrets.json']);
  });

  it('a cipher that fails (a keychain that refuses) fails the call and leaves the file as it was', async () => {
    const file = path.join(tempDir(), 'secrets.json');
    const store = encryptedFileSecretStore(file, xorCipher);
    await store.set('k', 'v1');
    const before = fs.readFileSync(file, 'utf8');
    const refusing = encryptedFileSecretStore(file, {
      ...xorCipher,
      encrypt: async () => {
        throw new Error('Keychain access denied');
      },
    });
    await expect(refusing.set('k', 'v2')).rejects.toThrow(/Keychain access denied/);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(await store.get('k')).toBe('v1');
  });

  it('the session store keeps values for the process only', async () => {
    const s = memorySecretStore();
    expect(s.protection).toBe('session');
    await s.set('k', 'v');
    expect(await s.get('k')).toBe('v');
    await s.delete('k');
    expect(await s.get('k')).toBeNull();
    expect(await memorySecretStore().get('k')).toBeNull();
  });
});
