import { describe, it, expect, afterEach } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { skipWithoutChromium } from '../../../tests/helpers/needs-chromium';
import { makeTempDir } from '../../../tests/helpers/test-app';
import { buildAssessment } from '../../core/maturity/test-fixtures';
import { exportAssessmentJson } from '../../core/maturity/exchange-assessment';
import { runCli } from '../index';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

async function mlwb(args: string[], ws: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, '--workspace', ws], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function setup() {
  const dir = makeTempDir();
  dirs.push(dir);
  const file = path.join(dir, 'assessment.json');
  fs.writeFileSync(file, exportAssessmentJson(buildAssessment('cli-1', (i) => (i < 12 ? 'yes' : i < 24 ? 'yes' : 'no'))));
  return { dir, file, ws: path.join(dir, 'ws') };
}

describe('mlwb maturity / report', () => {
  it('imports, lists, shows the chapter report, and refuses bad files and arguments', async () => {
    const { dir, file, ws } = setup();
    expect((await mlwb(['maturity', 'import', file], ws)).out).toMatch(/^imported cli-1/);
    expect((await mlwb(['maturity', 'list'], ws)).out).toMatch(/cli-1 {2}2026-11-27 {2}Acme Analytics — Churn team {2}Level 1/);
    const show = await mlwb(['maturity', 'show', 'cli-1'], ws);
    expect(show.out).toContain('Level 1: ████████████████████ 100.0%');
    expect(show.out).toContain('1. Build a CI/CD pipeline');
    const again = await mlwb(['maturity', 'import', file], ws);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already in the workspace/);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"hello":');
    expect((await mlwb(['maturity', 'import', bad], ws)).err).toMatch(/not valid JSON/);
    expect((await mlwb(['maturity', 'export', 'cli-1'], ws)).code).toBe(2);
    expect((await mlwb(['maturity', 'export', 'nope', '--html', path.join(dir, 'x.html')], ws)).err).toMatch(
      /No assessment with id "nope"/,
    );
    expect((await mlwb(['report', 'pipeline-run', 'cli-1', '--html', path.join(dir, 'x.html')], ws)).err).toMatch(
      /Unknown report "pipeline-run"/,
    );
    expect((await mlwb(['report', 'maturity', 'cli-1', '--html', path.join(dir, 'x.html'), '--paper', 'A3'], ws)).err).toMatch(
      /--paper must be A4 or Letter/,
    );
    const html = await mlwb(['report', 'maturity-history', 'cli-1', '--html', path.join(dir, 'h.html')], ws);
    expect(html.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'h.html'), 'utf8')).toContain('MLOps maturity history — Acme Analytics');
  });

  it('exports the maturity PDF and the JSON with `maturity export`', async (ctx) => {
    skipWithoutChromium(ctx);
    const { dir, file, ws } = setup();
    await mlwb(['maturity', 'import', file], ws);
    const pdf = path.join(dir, 'out', 'm.pdf');
    const json = path.join(dir, 'm.json');
    const r = await mlwb(['maturity', 'export', 'cli-1', '--pdf', pdf, '--json-file', json, '--lang', 'ja'], ws);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/wrote .*m\.pdf \(\d+ bytes/);
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('現在の成熟度レベル：Level 1 - MLパイプライン自動化');
    expect(text).toContain('CI/CDパイプラインの構築');
    expect(JSON.parse(fs.readFileSync(json, 'utf8')).assessment.id).toBe('cli-1');
  });
});
