import fs from 'node:fs';
import path from 'node:path';
import type { ImportRequest, ImportResult, ValidationResultRecord, RecipeRecord } from '../../../shared/contracts/datasets';
import type { ImportScan, Recipe, RecipeSpec, SuiteResult } from '../../../shared/datasets';
import { AppError } from '../../../shared/errors';
import type { AppContext } from '../app-context';
import type { JobKind } from '../jobs/job-kind';
import { csvOptionsFromSniff, sniffCsvFile } from './sniff-csv';
import { toInputError } from './dataset-tasks';

/** Path of a version's bytes in the content-addressed store. */
export function versionFilePath(app: Pick<AppContext, 'store'>, sha256: string): string {
  return app.store.objects.objectPath(sha256);
}

/**
 * Import job: checks the name/tag first (cheap), then a worker reads the file
 * once (hash + parse + profile + copy to objects/tmp). Only after the worker
 * succeeds does main adopt the temp file under its hash and insert the version
 * row, so a failure, cancel or killed worker leaves no row and at most a temp
 * file (removed here, or at the next start).
 */
export const importDatasetJob: JobKind<ImportRequest & { md5?: boolean }, ImportResult> = {
  kind: 'dataset-import',
  title: (p) => `Import ${p.sourceName ?? path.basename(p.path)} as ${p.name}@${p.tag}`,
  async execute(ctx, params) {
    const { store } = ctx.app;
    store.datasets.assertTagFree(params.name, params.tag);
    const temp = store.objects.createTempPath('.csv');
    let scan: ImportScan;
    try {
      scan = await ctx.runTask<ImportScan>('dataset-ingest', {
        sourcePath: params.path,
        tempPath: temp,
        options: params.options,
        md5: params.md5,
      });
    } catch (err) {
      fs.rmSync(temp, { force: true });
      throw err;
    }
    if (ctx.signal.aborted) {
      fs.rmSync(temp, { force: true });
      throw new AppError('job_cancelled', 'Cancelled.');
    }
    const same = store.datasets.findVersionsByHash(scan.sha256);
    const sameDataset = same.find((v) => v.datasetName === params.name);
    if (sameDataset) {
      fs.rmSync(temp, { force: true });
      const dataset = store.datasets.findDatasetByName(params.name)!;
      return {
        datasetId: dataset.id,
        versionId: sameDataset.id,
        name: params.name,
        tag: sameDataset.tag,
        sha256: scan.sha256,
        rows: sameDataset.rows,
        reused: 'version',
        message: `These exact bytes are already version ${params.name}@${sameDataset.tag}; no new version or copy was made.`,
      };
    }
    const adopted = store.objects.adoptTempFile(temp, scan.sha256);
    let version;
    try {
      version = store.datasets.insertVersion({
        datasetName: params.name,
        tag: params.tag,
        sha256: scan.sha256,
        md5: scan.md5 ?? null,
        size: scan.size,
        rows: scan.profile.rows,
        schema: params.options.columns,
        csvOptions: params.options,
        profile: scan.profile,
        sourcePath: params.path,
        sourceName: params.sourceName ?? path.basename(params.path),
      });
    } catch (err) {
      // e.g. the same tag taken by a concurrent import: do not leave an object nothing points to.
      if (adopted && store.datasets.findVersionsByHash(scan.sha256).length === 0) store.objects.removeObject(scan.sha256);
      throw err;
    }
    ctx.app.events.emit('changed', { topic: 'datasets' });
    const sharedWith = same[0];
    return {
      datasetId: version.datasetId,
      versionId: version.id,
      name: params.name,
      tag: params.tag,
      sha256: scan.sha256,
      rows: scan.profile.rows,
      reused: adopted ? 'none' : 'object',
      message: adopted
        ? `Imported ${scan.profile.rows.toLocaleString('en')} rows as ${params.name}@${params.tag}.`
        : `Imported as ${params.name}@${params.tag}; the bytes were already stored${sharedWith ? ` (${sharedWith.datasetName}@${sharedWith.tag})` : ''}, so no second copy was made.`,
    };
  },
};

/** Read options for the bundled sample, sniffed like any file (the wizard would show the same). */
export function sampleImportRequest(app: AppContext): ImportRequest {
  const file = path.join(app.resourcesDir, 'sample', 'churn.csv');
  if (!fs.existsSync(file)) throw new AppError('not_found', `The bundled sample data set is missing: ${file}`);
  const s = sniffCsvFile(file);
  let tag = 'sample';
  for (let i = 2; app.store.datasets.findVersionByTag('churn', tag); i++) tag = `sample-${i}`;
  return {
    path: file,
    name: 'churn',
    tag,
    sourceName: 'churn.csv',
    options: csvOptionsFromSniff(s),
  };
}

/** Validation job: runs a saved suite on a version in a worker and stores the result. */
export const validateVersionJob: JobKind<{ suiteId: number; versionId: number; label?: string }, ValidationResultRecord> = {
  kind: 'dataset-validate',
  title: (p) => (p.label ? `Validate ${p.label}` : `Validate version ${p.versionId} with suite ${p.suiteId}`),
  async execute(ctx, { suiteId, versionId }) {
    const { store } = ctx.app;
    const suite = store.datasets.getSuite(suiteId);
    const version = store.datasets.getVersion(versionId);
    if (suite.datasetId !== version.datasetId) throw new AppError('bad_input', `Suite "${suite.name}" belongs to another dataset.`);
    const result = await ctx.runTask<SuiteResult>('dataset-validate', {
      path: versionFilePath(ctx.app, version.sha256),
      options: version.csvOptions,
      suite: { name: suite.name, rules: suite.rules },
    });
    const record = store.datasets.insertValidationResult(suite.id, version.id, result);
    ctx.app.events.emit('changed', { topic: 'validation' });
    return record;
  },
};

/** Recipe job: fits a recipe on a whole version in a worker and stores it. */
export const fitRecipeJob: JobKind<{ versionId: number; name: string; spec: RecipeSpec; label?: string }, RecipeRecord> = {
  kind: 'recipe-fit',
  title: (p) => `Fit recipe "${p.name}"${p.label ? ` on ${p.label}` : ''}`,
  async execute(ctx, { versionId, name, spec }) {
    const { store } = ctx.app;
    const version = store.datasets.getVersion(versionId);
    const recipe = await ctx.runTask<Recipe>('recipe-fit', {
      path: versionFilePath(ctx.app, version.sha256),
      options: version.csvOptions,
      spec,
    });
    const record = store.datasets.insertRecipe(version.datasetId, version.id, name, recipe);
    ctx.app.events.emit('changed', { topic: 'recipes' });
    return record;
  },
};

/** Copies a version's bytes to a file ("checkout"); refuses to overwrite. */
export async function exportVersion(app: AppContext, versionId: number, destination: string): Promise<{ path: string; bytes: number }> {
  const version = app.store.datasets.getVersion(versionId);
  const target = path.resolve(destination);
  if (fs.existsSync(target)) throw new AppError('conflict', `${target} already exists; choose another file name.`);
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await fs.promises.copyFile(versionFilePath(app, version.sha256), target, fs.constants.COPYFILE_EXCL);
    // Objects are read-only; the checked-out copy belongs to the user.
    await fs.promises.chmod(target, 0o644);
  } catch (err) {
    throw toInputError(err);
  }
  return { path: target, bytes: version.size };
}
