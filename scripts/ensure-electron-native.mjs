// Before `npm start`: give Electron its own better-sqlite3 binary.
//
// Node (CLI, tests, browser host) and Electron have different native ABIs, so the
// one binary in node_modules cannot serve both. The Node build stays where npm put
// it; Electron gets native/electron/better_sqlite3.node, which main passes to
// better-sqlite3 as `nativeBinding`. Built once per Electron version, from a copy of
// the package so a failed build can never delete the Node build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outDir = path.join(root, 'native', 'electron');
const outFile = path.join(outDir, 'better_sqlite3.node');
const stamp = path.join(outDir, 'electron-version.txt');

let electronPath;
try {
  electronPath = require('electron');
} catch {
  electronPath = undefined;
}
if (typeof electronPath !== 'string' || !fs.existsSync(electronPath)) {
  console.error('Electron is not installed (its binary is missing). Run `npm install` on a machine with internet access, or use `npm run host` to open the workbench in a browser.');
  process.exit(1);
}
const electronVersion = require('electron/package.json').version;
if (fs.existsSync(outFile) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === electronVersion) process.exit(0);

console.log(`Building better-sqlite3 for Electron ${electronVersion} (once)…`);
const src = path.dirname(require.resolve('better-sqlite3/package.json'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-native-'));
fs.cpSync(src, work, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) });
// npm's own nodedir setting would make node-gyp compile against Node's headers: clear it.
const env = { ...process.env, npm_config_nodedir: '', npm_config_runtime: 'electron', npm_config_target: electronVersion, npm_config_disturl: 'https://electronjs.org/headers' };
const run = (cmd, args) => spawnSync(cmd, args, { cwd: work, env, stdio: 'inherit', shell: process.platform === 'win32' });
let r = run('npx', ['--yes', 'prebuild-install', '--runtime=electron', `--target=${electronVersion}`]);
if (r.status !== 0) r = run('npx', ['--yes', 'node-gyp', 'rebuild', '--release', '--runtime=electron', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers']);
const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
if (r.status !== 0 || !fs.existsSync(built)) {
  console.error('Could not build better-sqlite3 for Electron. Check that a C++ toolchain is installed (see README).');
  process.exit(1);
}
// Trust the binary, not a message: load it in Electron-as-Node and compare ABIs.
fs.mkdirSync(outDir, { recursive: true });
fs.copyFileSync(built, outFile);
const check = spawnSync(electronPath, ['-e', `require(${JSON.stringify(outFile)}); console.log(process.versions.modules)`], {
  env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  encoding: 'utf8',
});
if (check.status !== 0) {
  fs.rmSync(outFile, { force: true });
  console.error(`The built binary does not load in Electron: ${check.stderr}`);
  process.exit(1);
}
fs.writeFileSync(stamp, electronVersion);
fs.rmSync(work, { recursive: true, force: true });
console.log(`better-sqlite3 ready for Electron (ABI ${check.stdout.trim()}).`);
