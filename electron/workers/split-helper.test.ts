import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../tests/helpers/test-app';
import { splitHelperEntry } from '../core/training/gradient-split';
import { Rng } from '../core/training/random';

const ROOT = path.resolve(__dirname, '../..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('boosting helper thread entry', () => {
  it('from the TypeScript sources, the entry is electron/workers/split-helper.ts loaded through tsx', () => {
    const entry = splitHelperEntry();
    expect(entry?.file).toBe(path.join(ROOT, 'electron/workers/split-helper.ts'));
    expect(entry?.execArgv).toEqual(['--require', require.resolve('tsx/cjs')]);
  });

  it('the built CLI trains boosting in the built job worker with the built helper thread on the WebAssembly loop', () => {
    // Boosting takes a second thread from 200,000 training cells on, and only with 2 cores.
    expect(os.availableParallelism(), 'this check needs 2 cores').toBeGreaterThanOrEqual(2);
    expect(fs.existsSync(path.join(ROOT, 'out/main/split-helper.js')), 'run `npm run build` first').toBe(true);
    const dir = makeTempDir();
    dirs.push(dir);
    const rng = new Rng(1);
    const lines = ['a,b,c,d,e,f,g,h,i,j,k,l,label'];
    for (let r = 0; r < 24_000; r++) {
      const x = Array.from({ length: 12 }, () => rng.nextFloat());
      lines.push([...x.map((v) => v.toFixed(5)), Math.sin(x[0] * 5) + x[1] - x[2] / 2 > 0.2 ? 1 : 0].join(','));
    }
    const csv = path.join(dir, 'wide.csv');
    fs.writeFileSync(csv, lines.join('\n') + '\n');
    const args = ['train', '--data', csv, '--target', 'label', '--model', 'gbm', '--param', 'maxIter=20', '--param', 'earlyStopping=off'];
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/mlwb.js'), ...args, '--workspace', path.join(dir, 'ws')], {
      encoding: 'utf8',
      env: { ...process.env, NODE_DEBUG: 'mlwb-split' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/gbm on wide\.csv/);
    // One grower per fit: the helper thread (a worker of the job worker process) reports its chunks when the fit ends.
    const m = /helper thread did (\d+) chunks \(WebAssembly histogram loop\)/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(0);
  });
});
