// After `npm install`: build the app so `npx mlwb` and `npm start` work at once.
// Skipped when the sources are absent (e.g. a production install of a package).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

if (!existsSync('electron.vite.config.ts') || process.env.MLWB_SKIP_POSTINSTALL_BUILD) process.exit(0);
const bin = process.platform === 'win32' ? 'electron-vite.cmd' : 'electron-vite';
const r = spawnSync(`node_modules/.bin/${bin}`, ['build'], { stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(r.status ?? 1);
