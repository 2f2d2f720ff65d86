import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../tests/helpers/cli';
import { skipWithoutChromium } from '../../../tests/helpers/needs-chromium';
import { createTestApp, importCsvText, makeTempDir, type TestApp } from '../../../tests/helpers/test-app';
import { createChromiumPrinter, findChromiumExecutable, type ChromiumPrinter } from '../../core/reports/chromium-printer';
import { driftCommand } from './drift';

let app: TestApp;
let dir: string;
let printer: ChromiumPrinter | undefined;

async function mlwb(words: string[]): Promise<{ code: number; out: string; err: string }> {
  return runCli(app, words, [driftCommand]).catch((e: Error) => ({ code: 1, out: '', err: e.message }));
}

/** A deterministic two-column set: `x` numeric (a ramp plus `shift`), `c` categories cycling over `cats`. */
function csv(rows: number, shift: number, cats: string[]): string {
  const lines = ['x,c'];
  for (let i = 0; i < rows; i++) lines.push(`${((i * 7919) % rows) / rows + shift},${cats[i % cats.length]}`);
  return lines.join('\n') + '\n';
}

beforeAll(async () => {
  dir = makeTempDir();
  printer = findChromiumExecutable() ? createChromiumPrinter() : undefined;
  app = createTestApp({ printPdf: printer?.printPdf });
  await importCsvText(app, 'base', csv(400, 0, ['a', 'b', 'c']));
  fs.writeFileSync(path.join(dir, 'current.csv'), csv(300, 0.6, ['a', 'b', 'c']));
}, 60_000);
afterAll(async () => {
  app.cleanup();
  await printer?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('mlwb drift', () => {
  it('checks a CSV against a dataset version and prints per-column JSON', async () => {
    const r = await mlwb(['drift', 'base@v1', path.join(dir, 'current.csv'), '--json']);
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out);
    const byName = Object.fromEntries(doc.columns.map((c: { column: string }) => [c.column, c]));
    expect(byName.x).toMatchObject({ column: 'x', test: 'ks', drifted: true });
    expect(byName.x.pValue).toBeLessThan(0.05);
    expect(byName.c).toMatchObject({ column: 'c', test: 'chi-square', drifted: false });
    expect(byName.c.pValue).toBeGreaterThan(0.05);
    expect(doc.summary.drifted).toBe(1);
    expect(app.ctx.store.monitoring.getCheck(doc.checkId).currentLabel).toBe('current.csv');
  }, 60_000);

  it('uses the threshold and the method, and refuses bad flags and missing files', async () => {
    const r = await mlwb(['drift', 'base@v1', path.join(dir, 'current.csv'), '--json', '--method', 'evidently', '--threshold', '1e-300']);
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.rule).toBe('evidently');
    const bad = await mlwb(['drift', 'base@v1', path.join(dir, 'current.csv'), '--threshold', '2']);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/--threshold/);
    const before = app.ctx.store.monitoring.countChecks();
    const missing = await mlwb(['drift', 'base@v1', path.join(dir, 'nope.csv')]);
    expect(missing.code).not.toBe(0);
    expect(missing.err + missing.out).toMatch(/nope\.csv.*does not exist/);
    expect(app.ctx.store.monitoring.countChecks()).toBe(before);
  }, 60_000);

  it('writes the drift report as a PDF', async (ctx) => {
    skipWithoutChromium(ctx);
    const pdf = path.join(dir, 'drift.pdf');
    const r = await mlwb(['drift', path.join(app.workspaceDir, 'test-inputs', 'base.csv'), path.join(dir, 'current.csv'), '--pdf', pdf]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/wrote .*drift\.pdf \(\d+ bytes/);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('current.csv vs base.csv');
    expect(text).toMatch(/x\s+number\s+ks/);
    expect(text).toContain('Distributions');
  }, 120_000);
});
