// The decisions behind scripts/ensure-electron-native.mjs, as pure functions (tested in
// tests/desktop/electron-native.test.ts). No side effects on import: main's app-paths.ts
// imports NATIVE_BINDING_SEGMENTS from here, so the place the script writes the Electron
// build of better-sqlite3 and the place main looks for it have one definition.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where, under the app folder, the Electron build of better-sqlite3 lives. */
export const NATIVE_BINDING_SEGMENTS = Object.freeze(['native', 'electron', 'better_sqlite3.node']);

/** Next to it: what it was built for (see makeStamp). */
export const STAMP_SEGMENTS = Object.freeze(['native', 'electron', 'build-stamp.json']);

/** The Node `path` flavour for a platform, so Windows paths can be tested on Linux. */
export function pathFor(platform) {
  return platform === 'win32' ? path.win32 : path.posix;
}

/**
 * The checkout's root from a script's `import.meta.url` (the script sits in scripts/).
 * fileURLToPath decodes `%20`, `%23` and UTF-8 and drops the `/` before `C:` on Windows,
 * which `new URL(…).pathname` does not.
 */
export function rootFromScriptUrl(scriptUrl, platform = process.platform) {
  const p = pathFor(platform);
  return p.resolve(p.dirname(fileURLToPath(scriptUrl, { windows: platform === 'win32' })), '..');
}

/** Where the script writes the binary and its stamp, for a checkout root. */
export function nativePaths(root, platform = process.platform) {
  const p = pathFor(platform);
  return {
    outDir: p.join(root, ...NATIVE_BINDING_SEGMENTS.slice(0, -1)),
    outFile: p.join(root, ...NATIVE_BINDING_SEGMENTS),
    stampFile: p.join(root, ...STAMP_SEGMENTS),
  };
}

/** The stamp's text for a build: everything that must match for the binary to be reused. */
export function makeStamp(target) {
  const { electronVersion, abi, betterSqlite3Version, platform, arch } = target;
  return `${JSON.stringify({ electronVersion, abi: String(abi), betterSqlite3Version, platform, arch }, null, 2)}\n`;
}

/**
 * True when the earlier build can be reused: the binary exists and the stamp names the same
 * Electron version, Electron ABI, better-sqlite3 version, platform and architecture.
 * A missing, unreadable or older-format stamp means "build again".
 */
export function stampIsCurrent({ binaryExists, stampText, target }) {
  if (!binaryExists || typeof stampText !== 'string') return false;
  let stamp;
  try {
    stamp = JSON.parse(stampText);
  } catch {
    return false;
  }
  if (!stamp || typeof stamp !== 'object') return false;
  const want = JSON.parse(makeStamp(target));
  return Object.keys(want).every((k) => stamp[k] === want[k]);
}

/** What to install to build native modules, per OS (one sentence). */
export function toolchainHint(platform) {
  if (platform === 'win32') return 'install Visual Studio Build Tools with the "Desktop development with C++" workload, and Python 3';
  if (platform === 'darwin') return "install Xcode's command line tools (`xcode-select --install`)";
  return 'install a C++ toolchain and Python 3 (Debian/Ubuntu: `sudo apt-get install -y build-essential python3`; Fedora: `sudo dnf install gcc-c++ make python3`)';
}

/** The one message printed when the Electron build cannot be made. */
export function buildFailureMessage({ platform, electronVersion, detail }) {
  const why = detail ? ` (${String(detail).trim().split('\n').filter(Boolean).pop()})` : '';
  return [
    `Could not build better-sqlite3 for Electron ${electronVersion}${why}.`,
    `To build it, ${toolchainHint(platform)}; the build also needs internet access once, for Electron's headers or a prebuilt binary. Then run \`npm start\` again.`,
    'The Node build in node_modules is untouched: `npx mlwb` and `npm run host` (the workbench in a browser) still work.',
  ].join('\n');
}

/** The message when the Electron binary is absent (e.g. installed without internet access). */
export function electronMissingMessage(root, platform = process.platform) {
  return `Electron is not installed (its binary is missing from ${pathFor(platform).join(root, 'node_modules', 'electron')}). Run \`npm install\` on a machine with internet access, or use \`npm run host\` to open the workbench in a browser.`;
}

/**
 * Judges the ABI check's output: the binary loaded in Electron-as-Node must report
 * Electron's own ABI (`process.versions.modules`), whatever the build tool said.
 */
export function abiCheckResult({ status, stdout, stderr, expectedAbi }) {
  const reported = String(stdout ?? '').trim();
  if (status !== 0) return { ok: false, message: `The built binary does not load in Electron: ${String(stderr ?? '').trim()}` };
  if (reported !== String(expectedAbi))
    return { ok: false, message: `The built binary reports ABI ${reported || '(none)'}, Electron's is ${expectedAbi}.` };
  return { ok: true, message: `better-sqlite3 ready for Electron (ABI ${reported}).` };
}
