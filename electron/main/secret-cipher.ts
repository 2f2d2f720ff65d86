/**
 * safeStorage as the secret store's cipher (electron/core/secrets/). Called
 * after `ready` (safeStorage needs it on Windows and Linux). On Linux without
 * a keychain Electron falls back to a hard-coded key ('basic_text'); the store
 * then reports 'weak' protection and Settings says so.
 */
import path from 'node:path';
import { safeStorage } from 'electron';
import { encryptedFileSecretStore, memorySecretStore, type SecretStore } from '../core/secrets/secret-store';

export function electronSecretStore(userDataDir: string): SecretStore {
  if (!safeStorage.isEncryptionAvailable()) return memorySecretStore();
  const weak = process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
  return encryptedFileSecretStore(path.join(userDataDir, 'secrets.json'), {
    protection: weak ? 'weak' : 'os-keychain',
    encrypt: async (plain) => safeStorage.encryptString(plain),
    decrypt: async (cipher) => safeStorage.decryptString(cipher),
  });
}
