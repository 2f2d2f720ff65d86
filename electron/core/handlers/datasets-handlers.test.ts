import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportResult, ValidationResultRecord } from '../../../shared/contracts/datasets';
import type { CsvOptions } from '../../../shared/datasets';
import { AppError } from '../../../shared/errors';
import type { JobRecord } from '../../../shared/jobs';
import { createTestApp, makeTempDir, SAMPLE_CSV as SAMPLE, waitUntil, type TestApp } from '../../../tests/helpers/test-app';
import { dispatchRequest } from './dispatch';

let app: TestApp | undefined;
let tmp: string | undefined;
afterEach(() => {
  app?.cleanup();
  app = undefined;
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  tmp = undefined;
});

function write(name: string, content: string | Buffer): string {
  tmp ??= makeTempDir('mlwb-ds-input-');
  const p = path.join(tmp, name);
  fs.writeFileSync(p, content);
  return p;
}

function objectFiles(workspace: string): string[] {
  const root = path.join(workspace, 'objects');
  const out: string[] = [];
  for (const d of fs.readdirSync(root)) {
    if (d === 'tmp') continue;
    for (const f of fs.readdirSync(path.join(root, d))) out.push(`${d}${f}`);
  }
  return out;
}

const tmpFiles = (workspace: string) => fs.readdirSync(path.join(workspace, 'objects', 'tmp'));

/** Calls a handler as the dispatcher would (requests here are already valid). */
async function call(a: TestApp, channel: string, request: unknown): Promise<any> {
  return (a.handlers as unknown as Record<string, (r: unknown) => unknown>)[channel](request);
}

async function optionsOf(a: TestApp, file: string): Promise<CsvOptions> {
  const s = await call(a, 'datasets:sniff', { path: file });
  return { delimiter: s.delimiter, hasHeader: s.hasHeader, encoding: s.encoding, missingMarkers: s.missingMarkers, columns: s.columns, raggedRows: 'error' };
}

async function importFile(a: TestApp, file: string, name: string, tag: string, options?: CsvOptions): Promise<JobRecord> {
  const job = (await call(a, 'datasets:import', { path: file, name, tag, options: options ?? (await optionsOf(a, file)) })) as JobRecord;
  return a.ctx.jobs.waitFor(job.id);
}

async function sniffError(a: TestApp, file: string): Promise<AppError> {
  try {
    await call(a, 'datasets:sniff', { path: file });
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected the sniff to fail');
}

describe('datasets end to end through handlers and workers', () => {
  it('refuses malformed payloads on the datasets channels, naming the field', async () => {
    app = createTestApp();
    const h = app.handlers;
    const badRule = await dispatchRequest(h, 'validation:saveSuite', { datasetId: 1, suite: { name: 's', rules: [{ kind: 'between', column: 'a', min: 'zero' }] } });
    expect(badRule).toMatchObject({ ok: false, error: { code: 'invalid_payload', message: expect.stringMatching(/min/) } });
    const extra = await dispatchRequest(h, 'validation:saveSuite', { datasetId: 1, suite: { name: 's', rules: [{ kind: 'unique', column: 'a', sql: 'DROP TABLE' }] } });
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    const badName = await dispatchRequest(h, 'datasets:import', { path: '/x.csv', name: 'a@b', tag: 'v1', options: { delimiter: ',', hasHeader: true, encoding: 'utf-8', missingMarkers: [], columns: [{ name: 'a', type: 'number' }] } });
    expect(badName).toMatchObject({ ok: false, error: { code: 'invalid_payload', message: expect.stringMatching(/name/) } });
    const badDelimiter = await dispatchRequest(h, 'datasets:sniff', { path: '/x.csv', overrides: { delimiter: 'x' } });
    expect(badDelimiter).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    const unknownVersion = await dispatchRequest(h, 'datasets:version', { id: 99 });
    expect(unknownVersion).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('imports a file as an immutable, content-addressed version and dedups identical bytes', async () => {
    app = createTestApp();
    const a = app;
    const first = await importFile(a, SAMPLE, 'churn', 'v1');
    expect(first.status).toBe('succeeded');
    const r1 = first.result as ImportResult;
    expect(r1.reused).toBe('none');
    const version = a.ctx.store.datasets.getVersion(r1.versionId);
    expect(version.rows).toBe(5000);
    expect(version.sha256).toBe(execFileSync('sha256sum', [SAMPLE]).toString().split(' ')[0]);
    expect(version.profile.columns.find((c) => c.name === 'total_charges')!.missing).toBeGreaterThan(0);
    const stored = a.ctx.store.objects.objectPath(version.sha256);
    expect(fs.readFileSync(stored).equals(fs.readFileSync(SAMPLE))).toBe(true);
    expect(fs.statSync(stored).mode & 0o222).toBe(0); // read-only object

    // Same bytes, same dataset: no new version, no copy.
    const again = await importFile(a, SAMPLE, 'churn', 'v2');
    expect((again.result as ImportResult).reused).toBe('version');
    expect((again.result as ImportResult).message).toMatch(/already version churn@v1/);
    // Same bytes, another dataset: a new version row sharing the object.
    const other = await importFile(a, SAMPLE, 'churn-copy', 'v1');
    expect((other.result as ImportResult).reused).toBe('object');
    const list = await call(a, 'datasets:list', {}) as { name: string; versions: unknown[] }[];
    expect(list.map((d) => [d.name, d.versions.length])).toEqual([
      ['churn', 1],
      ['churn-copy', 1],
    ]);
    expect(objectFiles(a.workspaceDir)).toEqual([version.sha256]);
    expect(tmpFiles(a.workspaceDir)).toEqual([]);

    // A tag is never reused.
    await expect(async () => importFile(a, SAMPLE, 'churn', 'v1')).rejects.toThrow(/already has a version tagged "v1"/);
  });

  it('diffs, exports, validates and fits recipes on stored versions', async () => {
    app = createTestApp();
    const a = app;
    const r1 = (await importFile(a, SAMPLE, 'churn', 'v1')).result as ImportResult;
    const lines = fs.readFileSync(SAMPLE, 'utf8').trimEnd().split('\n');
    const smaller = write('smaller.csv', lines.slice(0, 3001).map((l) => l.split(',').slice(0, -2).join(',')).join('\n') + '\n');
    const r2 = (await importFile(a, smaller, 'churn', 'v2')).result as ImportResult;
    const diff = await call(a, 'datasets:diff', { a: r1.versionId, b: r2.versionId }) as { removed: { name: string }[]; rowDelta: number };
    expect(diff.removed.map((c) => c.name)).toEqual(['signup_date', 'churned']);
    expect(diff.rowDelta).toBe(-2000);

    const out = path.join(makeTempDir('mlwb-export-'), 'out.csv');
    const exported = (await call(a, 'datasets:export', { id: r1.versionId, destination: out })) as { path: string };
    expect(fs.readFileSync(exported.path).equals(fs.readFileSync(SAMPLE))).toBe(true);
    await expect(async () => await call(a, 'datasets:export', { id: r1.versionId, destination: out })).rejects.toThrow(/already exists/);
    fs.rmSync(path.dirname(out), { recursive: true, force: true });

    const suggested = await call(a, 'validation:suggest', { versionId: r1.versionId }) as { name: string; rules: unknown[] };
    const suite = await call(a, 'validation:saveSuite', { datasetId: r1.datasetId, suite: suggested as never }) as { id: number };
    const run1 = (await call(a, 'validation:run', { suiteId: suite.id, versionId: r1.versionId })) as JobRecord;
    const done1 = await a.ctx.jobs.waitFor(run1.id);
    expect(done1.status).toBe('succeeded');
    expect((done1.result as ValidationResultRecord).passed).toBe(true);
    const run2 = await a.ctx.jobs.waitFor(((await call(a, 'validation:run', { suiteId: suite.id, versionId: r2.versionId })) as JobRecord).id);
    const res2 = run2.result as ValidationResultRecord;
    expect(res2.passed).toBe(false);
    expect(res2.result.results.filter((r) => !r.passed).map((r) => r.message).join(' ')).toMatch(/Column "churned" does not exist/);
    expect((await call(a, 'validation:listResults', { versionId: r2.versionId }) as unknown[]).length).toBe(1);

    const spec = { target: 'churned', drop: ['customer_id'], numericImpute: 'median', numericConstant: 0, categoricalImpute: 'mode', categoricalConstant: 'missing', scale: true, oneHot: true, topK: 3 } as const;
    const preview = await call(a, 'recipes:preview', { versionId: r1.versionId, spec, rows: 5 }) as { output: number[][]; recipe: { featureNames: string[] } };
    expect(preview.output.length).toBe(5);
    expect(preview.output[0].length).toBe(preview.recipe.featureNames.length);
    const fit = await a.ctx.jobs.waitFor(((await call(a, 'recipes:save', { versionId: r1.versionId, name: 'default', spec })) as JobRecord).id);
    expect(fit.status).toBe('succeeded');
    expect((await call(a, 'recipes:list', { datasetId: r1.datasetId }) as unknown[]).length).toBe(1);
  });

  it('rejects each kind of bad file with a clear message and leaves the store intact', async () => {
    app = createTestApp();
    const a = app;
    const cases: [string, string | Buffer, RegExp][] = [
      ['empty.csv', '', /empty/],
      ['header.csv', 'a,b,c\n', /header line but no data rows/],
      ['binary.bin', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x14, 0, 0, 0]), /binary file/],
      ['latin1.csv', Buffer.concat([Buffer.from('name,n\nJos'), Buffer.from([0xe9]), Buffer.from(',1\n')]), /not valid UTF-8 \(line 2\).*Latin-1/],
    ];
    for (const [name, content, message] of cases) {
      const err = await sniffError(a, write(name, content));
      expect(err.code).toBe('bad_input');
      expect(err.message).toMatch(message);
    }
    // Problems past the sniffed head are caught by the import itself, with line numbers.
    const options: CsvOptions = { delimiter: ',', hasHeader: true, encoding: 'utf-8', missingMarkers: [''], raggedRows: 'error', columns: [{ name: 'a', type: 'integer' }, { name: 'b', type: 'integer' }] };
    const importCases: [string, string | Buffer, RegExp][] = [
      ['ragged.csv', 'a,b\n1,2\n3\n4,5\n6,7,8\n', /2 rows have the wrong number of fields.*lines 3, 5/],
      ['quote.csv', 'a,b\n1,2\n3,"oops\n4,5\n', /quoted field opened on line 3 is never closed/],
      ['late-binary.csv', Buffer.concat([Buffer.from('a,b\n1,2\n'), Buffer.from([0, 1, 2])]), /binary file/],
      ['late-latin1.csv', Buffer.concat([Buffer.from('a,b\n1,2\n3,'), Buffer.from([0xff]), Buffer.from('\n')]), /not valid UTF-8 \(line 3/],
      ['header-only.csv', 'a,b\n', /header line but no data rows/],
    ];
    for (const [name, content, message] of importCases) {
      const job = await importFile(a, write(name, content), 'bad', name.replace('.csv', ''), options);
      expect(job.status).toBe('failed');
      expect(job.error).toMatch(message);
    }
    const dup = await importFile(a, write('dup.csv', 'a,a\n1,2\n'), 'bad', 'dup', { ...options, columns: [{ name: 'a', type: 'integer' }, { name: 'a', type: 'integer' }] });
    expect(dup.error).toMatch(/Column name "a" is used more than once/);
    expect(await call(a, 'datasets:list', {})).toEqual([]);
    await expect(async () => await call(a, 'datasets:import', { path: path.join(tmp!, 'missing.csv'), name: 'x', tag: 't', options })).rejects.toThrow(/does not exist/);
    expect(objectFiles(a.workspaceDir)).toEqual([]);
    expect(tmpFiles(a.workspaceDir)).toEqual([]);
    expect(a.ctx.store.health().integrity).toBe('ok');
  });

  it('cancels an import at about half way and kills a worker mid-import without leaving a version or an object', async () => {
    const rows: string[] = ['a,b,c,d,e'];
    for (let i = 0; i < 1_200_000; i++) rows.push(`${i},${i * 0.5},${i % 97},${(i * 7) % 1000},x${i % 13}`);
    const big = write('big.csv', rows.join('\n') + '\n');
    app = createTestApp();
    const a = app;
    const options = await optionsOf(a, big);

    const job = (await call(a, 'datasets:import', { path: big, name: 'big', tag: 'v1', options })) as JobRecord;
    await waitUntil(() => {
      const j = a.ctx.store.jobs.getJob(job.id);
      return j.progressTotal > 0 && j.progressDone / j.progressTotal >= 0.5;
    }, 60_000, 'half of the import');
    await call(a, 'jobs:cancel', { id: job.id });
    const cancelled = await a.ctx.jobs.waitFor(job.id);
    expect(cancelled.status).toBe('cancelled');
    expect(a.ctx.store.datasets.listDatasets()).toEqual([]);
    await waitUntil(() => tmpFiles(a.workspaceDir).length === 0 || undefined, 10_000, 'temp file removal');

    // kill -9 the worker while it reads: the job fails, no row; a restart cleans any temp file.
    const job2 = (await call(a, 'datasets:import', { path: big, name: 'big', tag: 'v1', options })) as JobRecord;
    await waitUntil(() => {
      const j = a.ctx.store.jobs.getJob(job2.id);
      return j.progressTotal > 0 && j.progressDone > 0;
    }, 60_000, 'import progress');
    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(process.pid)]).toString().trim().split(/\s+/).map(Number).filter((p) => p > 0);
    for (const pid of children) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone (e.g. the ps process itself)
      }
    }
    const failed = await a.ctx.jobs.waitFor(job2.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/stopped unexpectedly/);
    expect(a.ctx.store.datasets.listDatasets()).toEqual([]);
    const workspace = a.workspaceDir;
    a.ctx.close();
    app = createTestApp({ workspaceDir: workspace });
    expect(tmpFiles(workspace)).toEqual([]);
    expect(objectFiles(workspace)).toEqual([]);
    expect(app.ctx.store.datasets.listDatasets()).toEqual([]);
    // and the store still works
    const ok = await importFile(app, SAMPLE, 'churn', 'v1');
    expect(ok.status).toBe('succeeded');
  });
});
