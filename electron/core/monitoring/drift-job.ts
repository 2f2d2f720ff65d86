/**
 * The drift check job (`monitoring:startCheck`, `mlwb drift`): resolves both
 * sides in main — a model version's training data (its run's dataset version,
 * the target left out), a dataset version, a CSV file sniffed as an import
 * would, or the inputs the scoring server logged for a model over a window —
 * runs the `drift-check` worker task with progress and cancel, and only after
 * it succeeded stores the check (and a data-drift alert when the data set
 * drifts). A failure or cancel leaves no row.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { DatasetVersion } from '../../../shared/contracts/datasets';
import type { DriftResult } from '../../../shared/drift';
import { AppError } from '../../../shared/errors';
import type { DriftCheck, startDriftCheckSchema } from '../../../shared/monitoring';
import type { JobKind } from '../jobs/job-kind';
import type { Store } from '../store';
import { sourceFromFile, sourceFromVersion } from '../training/training-source';
import type { DriftSide, DriftTaskParams } from './drift-tasks';

/** Logged predictions read for one check at most (the log's own cap is of this order). */
export const MAX_LOGGED_ROWS = 100_000;

/** The job's params: a parsed `monitoring:startCheck` request and who asked. */
export type DriftJobParams = Omit<z.output<typeof startDriftCheckSchema>, 'baseline'> & {
  /** The app's baselines, or (the CLI's `mlwb drift FILE …`) a CSV file. */
  baseline: z.output<typeof startDriftCheckSchema>['baseline'] | { kind: 'file'; path: string };
  createdBy: string;
};

/** What the job returns. */
export interface DriftJobResult {
  checkId: number;
}

/** A side resolved in main: what the task reads, and what the stored check says about it. */
interface ResolvedSide {
  side: DriftSide;
  label: string;
  versionId: number | null;
  datasetId: number | null;
}

function versionSide(store: Store, v: DatasetVersion): ResolvedSide {
  const src = sourceFromVersion(store, v);
  if (!fs.existsSync(src.path)) throw new AppError('not_found', `The file of dataset version ${src.label} is missing from the workspace.`);
  return {
    side: { kind: 'csv', label: src.label, path: src.path, options: src.options },
    label: src.label,
    versionId: v.id,
    datasetId: v.datasetId,
  };
}

function fileSide(file: string): ResolvedSide {
  const abs = path.resolve(file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    throw new AppError('bad_input', `Cannot read ${abs}: it does not exist (was it moved or deleted?).`);
  }
  if (stat.isDirectory()) throw new AppError('bad_input', `Cannot read ${abs}: it is a folder, not a CSV file.`);
  if (stat.size === 0)
    throw new AppError('bad_input', `${path.basename(abs)} is empty: a drift check needs a header and at least one row on each side.`);
  let src: ReturnType<typeof sourceFromFile>;
  try {
    src = sourceFromFile(abs);
  } catch (err) {
    if (err instanceof AppError && (err.details as { csvError?: string } | undefined)?.csvError === 'header_only') {
      // A header and no rows: an empty set, reported column by column ("the current set is empty").
      const label = path.basename(abs);
      return { side: { kind: 'rows', label, rows: [], columns: headerNames(abs) }, label, versionId: null, datasetId: null };
    }
    // The sniffer's messages say what is wrong but not with which file.
    if (err instanceof AppError && !err.message.includes(path.basename(abs)))
      throw new AppError(err.code, `${path.basename(abs)}: ${err.message}`, err.details);
    throw err;
  }
  return { side: { kind: 'csv', label: src.label, path: abs, options: src.options }, label: src.label, versionId: null, datasetId: null };
}

/** The column names of a header-only file's one line. */
function headerNames(file: string): string[] {
  const first = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0];
  // The delimiter that cuts the line into the most fields (the sniffer's candidates).
  const delimiter = [',', ';', '\t', '|'].reduce((best, d) => (first.split(d).length > first.split(best).length ? d : best), ',');
  return first.split(delimiter).map((name) => name.trim().replace(/^"(.*)"$/, '$1').replace(/""/g, '"'));
}

/** The baseline, the target to leave out, and the model the check is about. */
export function resolveBaseline(
  store: Store,
  b: DriftJobParams['baseline'],
): ResolvedSide & { exclude: string[]; model: string | null; modelVersion: number | null } {
  if (b.kind === 'dataset')
    return { ...versionSide(store, store.datasets.getVersion(b.versionId)), exclude: [], model: null, modelVersion: null };
  if (b.kind === 'file') return { ...fileSide(b.path), exclude: [], model: null, modelVersion: null };
  const mv = store.registry.getVersion(b.name, b.version);
  if (mv.datasetVersionId === null) {
    throw new AppError(
      'bad_input',
      `${mv.name} v${mv.version} was trained on ${mv.datasetLabel || 'a file'} outside the workspace, so its training data cannot be the baseline; import that file as a dataset and choose its version as the baseline.`,
    );
  }
  let v: DatasetVersion;
  try {
    v = store.datasets.getVersion(mv.datasetVersionId);
  } catch {
    throw new AppError('not_found', `The training data of ${mv.name} v${mv.version} (${mv.datasetLabel}) is no longer in the workspace.`);
  }
  const target = store.tracking.getRun(mv.runId).params.target;
  const side = versionSide(store, v);
  return {
    ...side,
    label: `${mv.name} v${mv.version} training data (${side.label})`,
    exclude: target ? [target] : [],
    model: mv.name,
    modelVersion: mv.version,
  };
}

/** The current set. */
export function resolveCurrent(
  store: Store,
  c: DriftJobParams['current'],
): ResolvedSide & { model: string | null; modelVersion: number | null } {
  if (c.kind === 'dataset') return { ...versionSide(store, store.datasets.getVersion(c.versionId)), model: null, modelVersion: null };
  if (c.kind === 'file') return { ...fileSide(c.path), model: null, modelVersion: null };
  store.registry.getModel(c.name);
  const rows = store.serving.listPredictions({ model: c.name, version: c.version, from: c.from, to: c.to, limit: MAX_LOGGED_ROWS });
  const which = `${c.name}${c.version !== undefined ? ` v${c.version}` : ''}`;
  const span =
    c.from !== undefined || c.to !== undefined
      ? ` from ${c.from !== undefined ? new Date(c.from).toISOString() : 'the start'} to ${c.to !== undefined ? new Date(c.to).toISOString() : 'now'}`
      : '';
  // No logged predictions in the span: an empty current set, every column reported as such.
  const label = `predictions of ${which}${span}${rows.length === 0 ? ' (none logged)' : ''}`;
  return {
    side: { kind: 'rows', label, rows: rows.map((r) => r.inputs) },
    label,
    versionId: null,
    datasetId: null,
    model: c.name,
    modelVersion: c.version ?? null,
  };
}

export const driftCheckJob: JobKind<DriftJobParams, DriftJobResult> = {
  kind: 'drift-check',
  title: (p) => {
    const b =
      p.baseline.kind === 'model'
        ? `${p.baseline.name} v${p.baseline.version}`
        : p.baseline.kind === 'file'
          ? path.basename(p.baseline.path)
          : `dataset version ${p.baseline.versionId}`;
    const c =
      p.current.kind === 'dataset'
        ? `dataset version ${p.current.versionId}`
        : p.current.kind === 'file'
          ? path.basename(p.current.path)
          : `predictions of ${p.current.name}`;
    return `Drift check: ${c} against ${b}`;
  },
  async execute(ctx, params) {
    const { store } = ctx.app;
    const baseline = resolveBaseline(store, params.baseline);
    const current = resolveCurrent(store, params.current);
    const task: DriftTaskParams = {
      baseline: baseline.side,
      current: current.side,
      exclude: baseline.exclude,
      options: {
        rule: params.rule,
        pThreshold: params.pThreshold,
        driftShareThreshold: params.driftShareThreshold,
        ksMethod: params.ksMethod,
        columns: params.columns,
      },
    };
    const result = await ctx.runTask<DriftResult>('drift-check', task, ctx.progress);
    if (ctx.signal.aborted) throw new AppError('job_cancelled', 'Cancelled.');
    const check = storeCheck(store, params, baseline, current, result, ctx.jobId);
    ctx.app.events.emit('changed', { topic: 'monitoring' });
    return { checkId: check.id };
  },
};

/** Writes the check and, when the data set drifts, its data-drift alert. */
function storeCheck(
  store: Store,
  params: DriftJobParams,
  baseline: ReturnType<typeof resolveBaseline>,
  current: ReturnType<typeof resolveCurrent>,
  result: DriftResult,
  jobId: number,
): DriftCheck {
  const { createdBy, ...request } = params;
  const model = baseline.model ?? current.model;
  const modelVersion = baseline.model !== null ? baseline.modelVersion : current.modelVersion;
  const check = store.monitoring.insertCheck({
    createdBy,
    jobId,
    model,
    modelVersion,
    baselineLabel: baseline.label,
    baselineVersionId: baseline.versionId,
    baselineDatasetId: baseline.datasetId,
    currentLabel: current.label,
    currentKind: params.current.kind,
    currentVersionId: current.versionId,
    currentDatasetId: current.datasetId,
    request: request as DriftCheck['request'],
    result,
  });
  const s = result.summary;
  if (s.datasetDrift) {
    const names = result.columns.filter((c) => c.drifted).map((c) => c.column);
    store.monitoring.insertAlert({
      kind: 'data-drift',
      model,
      modelVersion,
      checkId: check.id,
      message: `${current.label} drifts from ${baseline.label}: ${s.drifted} of ${s.tested} columns (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}); retraining is recommended.`,
      value: s.driftShare,
      threshold: s.driftShareThreshold,
    });
  }
  return check;
}
