import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeTempDir } from '../../tests/helpers/test-app';

// safeStorage as Electron has it, with a reversible stand-in for the OS cipher.
const safeStorage = {
  available: true,
  backend: 'gnome_libsecret',
  isEncryptionAvailable: () => safeStorage.available,
  getSelectedStorageBackend: () => safeStorage.backend,
  encryptString: (s: string) => Buffer.from(`enc:${Buffer.from(s).toString('base64')}`),
  decryptString: (b: Buffer) => Buffer.from(b.toString().slice(4), 'base64').toString(),
};
vi.mock('electron', () => ({ safeStorage }));
const { electronSecretStore } = await import('./secret-cipher');

const dirs: string[] = [];
afterEach(() => {
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
  Object.assign(safeStorage, { available: true, backend: 'gnome_libsecret' });
});
const userData = () => {
  const d = makeTempDir('mlwb-userdata #データ ');
  dirs.push(d);
  return d;
};

describe('the app secret store (safeStorage)', () => {
  it("keeps safeStorage's ciphertext in secrets.json beside the user data, and reads it back", async () => {
    const dir = userData();
    const store = electronSecretStore(dir);
    await store.set('mlflow-remote:https://mlflow.example.com', 'tok-xyz');
    const onDisk = fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8');
    expect(onDisk).not.toContain('tok-xyz');
    expect(await electronSecretStore(dir).get('mlflow-remote:https://mlflow.example.com')).toBe('tok-xyz');
    expect(store.protection).toBe('os-keychain');
  });

  it("says 'weak' on Linux's basic_text fallback, and keeps tokens for the session only when encryption is unavailable", async () => {
    safeStorage.backend = 'basic_text';
    expect(electronSecretStore(userData()).protection).toBe(process.platform === 'linux' ? 'weak' : 'os-keychain');
    safeStorage.available = false;
    const dir = userData();
    const session = electronSecretStore(dir);
    expect(session.protection).toBe('session');
    await session.set('k', 'v');
    expect(fs.existsSync(path.join(dir, 'secrets.json'))).toBe(false);
  });
});
