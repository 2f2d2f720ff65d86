/**
 * Secrets (a team MLflow server's token) kept out of the workspace: never in
 * the SQLite file, never in settings. The app keeps them in a file beside its
 * user data, each value encrypted with Electron's safeStorage (the OS
 * keychain: Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux);
 * the browser host keeps them in memory for the session; the CLI reads
 * MLFLOW_TRACKING_TOKEN instead. No Electron import here: the app hands in
 * safeStorage's two functions (electron/main/secret-cipher.ts).
 */
import fs from 'node:fs';
import path from 'node:path';

/** How secrets are protected, for Settings to say so. */
export type SecretProtection =
  /** Encrypted with a key the OS keychain holds. */
  | 'os-keychain'
  /** Linux without a keychain: safeStorage falls back to a fixed key (Electron's basic_text). */
  | 'weak'
  /** Held in memory only; gone when the process ends. */
  | 'session';

export interface SecretStore {
  readonly protection: SecretProtection;
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** The session store of the browser host and the tests. */
export function memorySecretStore(): SecretStore {
  const values = new Map<string, string>();
  return {
    protection: 'session',
    get: async (key) => values.get(key) ?? null,
    set: async (key, value) => void values.set(key, value),
    delete: async (key) => void values.delete(key),
  };
}

/** What encrypts: safeStorage's encryptString/decryptString in the app. */
export interface SecretCipher {
  protection: Exclude<SecretProtection, 'session'>;
  encrypt(plain: string): Promise<Buffer>;
  decrypt(cipher: Buffer): Promise<string>;
}

/**
 * Secrets in one JSON file (`{ key: base64 ciphertext }`), written atomically
 * (temp file + rename) with mode 0600. Only ciphertext reaches the disk.
 */
export function encryptedFileSecretStore(file: string, cipher: SecretCipher): SecretStore {
  const read = (): Record<string, string> => {
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, string>) : {};
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw err;
    }
  };
  const write = (entries: Record<string, string>) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(entries, null, 1), { mode: 0o600 });
    fs.renameSync(tmp, file);
  };
  return {
    protection: cipher.protection,
    async get(key) {
      const value = read()[key];
      return typeof value === 'string' ? cipher.decrypt(Buffer.from(value, 'base64')) : null;
    },
    async set(key, value) {
      const encrypted = (await cipher.encrypt(value)).toString('base64');
      write({ ...read(), [key]: encrypted });
    },
    async delete(key) {
      const entries = read();
      if (!(key in entries)) return;
      delete entries[key];
      write(entries);
    },
  };
}
