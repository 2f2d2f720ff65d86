#!/usr/bin/env node
// The `mlwb` command: runs the CLI bundled by `electron-vite build` (npm install builds it).
const path = require('node:path');
const fs = require('node:fs');

// `mlwb data list | head` closes the pipe early: stop quietly instead of crashing.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

const cli = path.join(__dirname, '..', 'out', 'main', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('mlwb is not built yet: run `npm run build` in ' + path.join(__dirname, '..') + '\n');
  process.exit(1);
}
require(cli).runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
