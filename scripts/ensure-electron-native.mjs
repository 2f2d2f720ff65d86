// Before `npm start` / `npm run dev` / `npm run dist`: give Electron its own better-sqlite3 binary.
//
// Node (CLI, tests, browser host) and Electron have different native ABIs, so the one binary in
// node_modules cannot serve both. The Node build stays where npm put it; Electron gets
// native/electron/better_sqlite3.node (the path is defined once, in electron-native.mjs, which
// main's app-paths.ts uses too), passed to better-sqlite3 as `nativeBinding`. @electron/rebuild
// makes it (a prebuilt binary when one exists, else node-gyp) in a temporary COPY of the
// package, so a failed build can never touch the Node build. The result is trusted only after
// it loads in Electron-as-Node and reports Electron's ABI; the stamp then records what it was
// built for, and later starts skip the build while the binary exists and the stamp matches.
//
// `node scripts/ensure-electron-native.mjs --where` prints the paths it uses, as JSON.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import {
  abiCheckResult,
  buildFailureMessage,
  electronMissingMessage,
  makeStamp,
  nativePaths,
  rootFromScriptUrl,
  stampIsCurrent,
} from './electron-native.mjs';

const root = rootFromScriptUrl(import.meta.url);
const paths = nativePaths(root);
const require = createRequire(path.join(root, 'package.json'));

if (process.argv.includes('--where')) {
  console.log(JSON.stringify({ root, ...paths }));
  process.exit(0);
}

/** The Electron binary, or undefined when its postinstall could not download it. */
function electronBinary() {
  try {
    const p = require('electron');
    return typeof p === 'string' && fs.existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

const runAsNode = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };

const electronPath = electronBinary();
if (!electronPath) {
  console.error(electronMissingMessage(root));
  process.exit(1);
}
const electronVersion = require('electron/package.json').version;
// Electron's ABI, asked of Electron itself (not of a table that may lag behind).
const asked = spawnSync(electronPath, ['-p', 'process.versions.modules'], { env: runAsNode, encoding: 'utf8' });
const abi = asked.stdout?.trim();
if (asked.status !== 0 || !abi) {
  console.error(`Electron ${electronVersion} is installed but does not run here: ${(asked.stderr || asked.error?.message || '').trim()}`);
  process.exit(1);
}
const moduleDir = path.dirname(require.resolve('better-sqlite3/package.json'));
const target = {
  electronVersion,
  abi,
  betterSqlite3Version: require('better-sqlite3/package.json').version,
  platform: process.platform,
  arch: process.arch,
};
const readStamp = () => {
  try {
    return fs.readFileSync(paths.stampFile, 'utf8');
  } catch {
    return undefined;
  }
};
if (stampIsCurrent({ binaryExists: fs.existsSync(paths.outFile), stampText: readStamp(), target })) process.exit(0);

console.log(`Building better-sqlite3 for Electron ${electronVersion} (ABI ${abi}), once…`);
// A stale stamp must not outlive a failed build.
fs.rmSync(paths.stampFile, { force: true });
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-native-'));
const fail = (message) => {
  fs.rmSync(work, { recursive: true, force: true });
  console.error(message);
  process.exit(1);
};
// The copy: a tiny project whose only dependency is better-sqlite3, so @electron/rebuild
// rebuilds that one package and nothing in the real node_modules.
const workModule = path.join(work, 'node_modules', 'better-sqlite3');
fs.cpSync(moduleDir, workModule, { recursive: true, filter: (p) => path.relative(moduleDir, p).split(path.sep)[0] !== 'build' });
fs.writeFileSync(
  path.join(work, 'package.json'),
  JSON.stringify({ name: 'mlwb-electron-native', private: true, dependencies: { 'better-sqlite3': target.betterSqlite3Version } }),
);
// prebuild-install (a better-sqlite3 dependency) fetches a prebuilt Electron binary when one
// exists; @electron/rebuild finds it by walking up from the module.
try {
  fs.symlinkSync(
    path.dirname(createRequire(path.join(moduleDir, 'package.json')).resolve('prebuild-install/package.json')),
    path.join(work, 'node_modules', 'prebuild-install'),
    'junction',
  );
} catch {
  // Without it @electron/rebuild compiles from source.
}

let rebuild;
try {
  ({ rebuild } = await import('@electron/rebuild'));
} catch (err) {
  fail(`@electron/rebuild is not installed (${err.message}): run \`npm install\` in ${root}.`);
}
// npm passes its own nodedir setting down, which would make node-gyp use Node's headers.
delete process.env.npm_config_nodedir;
try {
  await rebuild({
    buildPath: work,
    projectRootPath: work,
    electronVersion,
    arch: process.arch,
    onlyModules: ['better-sqlite3'],
    force: true,
    mode: 'sequential',
  });
} catch (err) {
  fail(buildFailureMessage({ platform: process.platform, electronVersion, detail: err?.message }));
}
const built = path.join(workModule, 'build', 'Release', 'better_sqlite3.node');
if (!fs.existsSync(built))
  fail(buildFailureMessage({ platform: process.platform, electronVersion, detail: `no ${path.basename(built)} was produced` }));

// Trust the binary, not the tool: load it in Electron-as-Node and compare ABIs, then move it in.
fs.mkdirSync(paths.outDir, { recursive: true });
const candidate = `${paths.outFile}.new`;
fs.copyFileSync(built, candidate);
const check = spawnSync(electronPath, ['-e', `require(${JSON.stringify(candidate)}); console.log(process.versions.modules)`], {
  env: runAsNode,
  encoding: 'utf8',
});
const verdict = abiCheckResult({ status: check.status, stdout: check.stdout, stderr: check.stderr, expectedAbi: abi });
if (!verdict.ok) {
  fs.rmSync(candidate, { force: true });
  fail(verdict.message);
}
fs.renameSync(candidate, paths.outFile);
fs.writeFileSync(paths.stampFile, makeStamp(target));
fs.rmSync(work, { recursive: true, force: true });
console.log(verdict.message);
