import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../tests/helpers/test-app';
import { workspaceFlag } from '../core/command-line';
import { resolveWorkspaceDir } from '../core/workspace';
import { commandLineAccess, type CliCommand } from './command';
import { helpText, matchCommand, parseCliArgs, runCli } from './index';

const ROOT = path.resolve(__dirname, '../..');
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Runs the built `mlwb` bin as a user would (npm test builds first). */
function mlwb(args: string[]) {
  const ws = makeTempDir();
  dirs.push(ws);
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/mlwb.js'), ...args, '--workspace', ws], { encoding: 'utf8' });
  return { ...r, ws };
}

describe('mlwb command line', () => {
  it('prints help listing every command', async () => {
    const out: string[] = [];
    expect(await runCli(['--help'], { out: (t) => out.push(t), err: () => {} })).toBe(0);
    expect(out.join('\n')).toBe(helpText());
    expect(helpText()).toMatch(/doctor/);
    expect(helpText()).toMatch(/self-check/);
  });

  it('rejects an unknown command with exit code 2', async () => {
    const err: string[] = [];
    expect(await runCli(['frobnicate'], { out: () => {}, err: (t) => err.push(t) })).toBe(2);
    expect(err.join('\n')).toMatch(/Unknown command: frobnicate/);
  });

  it('finds multi-word commands among the flags and parses --flag VALUE, --flag=VALUE and repeats in one place', () => {
    const cmds = [
      { name: 'data', summary: '', usage: '', run: async () => 0 },
      {
        name: 'data import',
        summary: '',
        usage: '',
        options: { name: { type: 'string' }, type: { type: 'string', multiple: true }, md5: { type: 'boolean' } },
        run: async () => 0,
      },
    ] as const satisfies CliCommand[];
    expect(matchCommand(['data', 'import', 'x.csv'], cmds)).toMatchObject({ command: { name: 'data import' }, rest: ['x.csv'] });
    const line = parseCliArgs(
      ['--workspace', '/w s', 'data', 'import', 'x.csv', '--name=n', '--type', 'a=1', '--type=b=2', '--md5', '--json'],
      cmds,
    );
    expect(line).toMatchObject({ command: { name: 'data import' }, positionals: ['x.csv'], workspace: '/w s', json: true, help: false });
    const cli = commandLineAccess(line);
    expect([cli.value('name'), cli.values('type'), cli.has('md5'), cli.has('name')]).toEqual(['n', ['a=1', 'b=2'], true, false]);
    // An option the command does not know, or a value left out, is a usage error — not a word silently dropped.
    expect(() => parseCliArgs(['data', 'import', 'x.csv', '--nmae', 'n'], cmds)).toThrow(/Unknown option '--nmae'/);
    expect(() => parseCliArgs(['data', 'import', 'x.csv', '--name'], cmds)).toThrow(/--name <value>' argument missing/);
  });

  it('refuses an unknown flag with exit code 2 and the command usage', async () => {
    const err: string[] = [];
    expect(await runCli(['doctor', '--frob'], { out: () => {}, err: (t) => err.push(t) })).toBe(2);
    expect(err.join('\n')).toMatch(/Unknown option '--frob'\.\n\nUsage: mlwb doctor/);
  });

  it("reads --workspace from any entry point's argv (Electron's own flags included) with the same parser", () => {
    expect(
      resolveWorkspaceDir(workspaceFlag(['/usr/bin/electron', '.', '--no-sandbox', '--workspace=/tmp/a b', '--inspect=9229']), {}),
    ).toBe(path.resolve('/tmp/a b'));
    expect(resolveWorkspaceDir(workspaceFlag(['--workspace', 'rel']), { MLWB_WORKSPACE: '/env' })).toBe(path.resolve('rel'));
    expect(resolveWorkspaceDir(workspaceFlag(['app']), { MLWB_WORKSPACE: '/env' })).toBe(path.resolve('/env'));
    expect(() => workspaceFlag(['--workspace'])).toThrow(/--workspace needs a folder/);
  });

  it('doctor prints versions, the workspace and a healthy store (built bin)', () => {
    const r = mlwb(['doctor', '--json']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.workspace).toBe(r.ws);
    expect(report.integrity).toBe('ok');
    expect(report.journalMode).toBe('wal');
    expect(report.versions.node).toBe(process.versions.node);
    expect(report.versions.sqlite).toMatch(/^3\./);
  });

  it('self-check hashes the bundled sample in a worker (built bin)', () => {
    const r = mlwb(['self-check', '--passes', '2', '--json']);
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout);
    const expected = (require('node:crypto') as typeof import('node:crypto'))
      .createHash('sha256')
      .update(fs.readFileSync(path.join(ROOT, 'resources/sample/churn.csv')))
      .digest('hex');
    expect(result).toMatchObject({ file: 'churn.csv', passes: 2, consistent: true, sha256: expected });
  });

  it('doctor names the path when the workspace database is corrupt, and leaves it alone', () => {
    const ws = makeTempDir();
    dirs.push(ws);
    fs.writeFileSync(path.join(ws, 'workbench.sqlite'), 'garbage'.repeat(1000));
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/mlwb.js'), 'doctor', '--workspace', ws], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(path.join(ws, 'workbench.sqlite'));
    expect(fs.readFileSync(path.join(ws, 'workbench.sqlite'), 'utf8')).toBe('garbage'.repeat(1000));
  });
});
