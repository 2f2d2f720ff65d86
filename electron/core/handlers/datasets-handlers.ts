import fs from 'node:fs';
import path from 'node:path';
import type { datasetChannels, RecipePreview } from '../../../shared/contracts/datasets';
import { AppError } from '../../../shared/errors';
import type { AppContext } from '../app-context';
import { exportVersion, fitRecipeJob, importDatasetJob, sampleImportRequest, validateVersionJob, versionFilePath } from '../datasets/dataset-jobs';
import { toInputError } from '../datasets/dataset-tasks';
import { diffProfiles } from '../datasets/diff-profiles';
import { sniffCsvFile } from '../datasets/sniff-csv';
import { suggestSuite } from '../validation/suggest-suite';
import type { HandlersFor } from './handler-types';

/** Versions larger than this are exported to a file, not sent to the renderer as text. */
const MAX_TEXT_EXPORT_BYTES = 20 * 1024 * 1024;

function safeFileName(s: string): string {
  return s.replace(/[^\w.-]+/g, '_');
}

/** Handlers of the datasets, validation and recipes channels. */
export function createDatasetHandlers(ctx: AppContext): HandlersFor<keyof typeof datasetChannels> {
  const { store } = ctx;
  return {
    'datasets:sniff': ({ path: file, overrides }) => {
      try {
        // Reads at most 256 KiB: fine on main.
        return sniffCsvFile(file, overrides);
      } catch (err) {
        throw toInputError(err);
      }
    },
    'datasets:import': (req) => {
      if (!fs.existsSync(req.path)) throw new AppError('bad_input', `Cannot read ${req.path}: it does not exist.`);
      store.datasets.assertTagFree(req.name, req.tag);
      return ctx.jobs.start(importDatasetJob, req);
    },
    'datasets:importSample': () => ctx.jobs.start(importDatasetJob, sampleImportRequest(ctx)),
    'datasets:list': () => store.datasets.listDatasets(),
    'datasets:version': ({ id }) => store.datasets.getVersion(id),
    'datasets:diff': ({ a, b }) => diffProfiles(store.datasets.getVersion(a).profile, store.datasets.getVersion(b).profile),
    'datasets:export': ({ id, destination }) => {
      const v = store.datasets.getVersion(id);
      const target = destination ?? path.join(ctx.workspaceDir, 'exports', `${safeFileName(v.datasetName)}@${safeFileName(v.tag)}.csv`);
      return exportVersion(ctx, id, target);
    },
    'datasets:readText': async ({ id }) => {
      const v = store.datasets.getVersion(id);
      if (v.size > MAX_TEXT_EXPORT_BYTES) throw new AppError('bad_input', `${v.datasetName}@${v.tag} is ${Math.round(v.size / 1e6)} MB; export it to a file instead.`);
      const bytes = await fs.promises.readFile(versionFilePath(ctx, v.sha256));
      return { name: `${v.datasetName}@${v.tag}.csv`, text: bytes.toString(v.csvOptions.encoding === 'latin1' ? 'latin1' : 'utf8') };
    },
    'validation:listSuites': ({ datasetId }) => store.datasets.listSuites(datasetId),
    'validation:saveSuite': ({ datasetId, id, suite }) => {
      const saved = store.datasets.saveSuite(datasetId, suite, id);
      ctx.events.emit('changed', { topic: 'validation' });
      return saved;
    },
    'validation:deleteSuite': ({ id }) => {
      const deleted = store.datasets.deleteSuite(id);
      ctx.events.emit('changed', { topic: 'validation' });
      return { deleted };
    },
    'validation:suggest': ({ versionId, name }) => {
      const v = store.datasets.getVersion(versionId);
      return suggestSuite(v.profile, name ?? `Suggested from ${v.tag}`);
    },
    'validation:run': ({ suiteId, versionId }) => {
      const suite = store.datasets.getSuite(suiteId);
      const v = store.datasets.getVersion(versionId);
      return ctx.jobs.start(validateVersionJob, { suiteId, versionId, label: `${v.datasetName}@${v.tag} with "${suite.name}"` });
    },
    'validation:listResults': ({ versionId }) => store.datasets.listValidationResults(versionId),
    'recipes:list': ({ datasetId }) => store.datasets.listRecipes(datasetId),
    'recipes:preview': ({ versionId, spec, rows }) => {
      const v = store.datasets.getVersion(versionId);
      // Parsing and fitting are CPU work: a pooled worker, not main's event loop.
      return ctx.pool.runTask<RecipePreview>('recipe-preview', { path: versionFilePath(ctx, v.sha256), options: v.csvOptions, spec, rows });
    },
    'recipes:save': ({ versionId, name, spec }) => {
      const v = store.datasets.getVersion(versionId);
      return ctx.jobs.start(fitRecipeJob, { versionId, name, spec, label: `${v.datasetName}@${v.tag}` });
    },
    'recipes:get': ({ id }) => store.datasets.getRecipe(id),
  };
}
