/**
 * Prediction monitoring of a served model: the chapter's `monitor_predictions`
 * per UTC-aligned time window over the prediction log (count, mean/std/min/max
 * or class shares), and — once actual labels arrive, joined on prediction id —
 * accuracy and macro F1 (classification) or RMSE and R² (regression), with an
 * 'accuracy' alert for each window that falls under the model's threshold;
 * prediction drift of a version's served predictions against its own
 * predictions on its run's test split (KS or chi-square, a worker task), with a
 * 'prediction-drift' alert once per window; and scored files of batch scoring
 * whose actual label column is in the same file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import {
  MONITORING_LIMITS,
  type ImportActualsResult,
  type LabelledScoredFile,
  type MonitorSettings,
  type PredictionDrift,
  type PredictionMonitor,
  type PredictionWindow,
  type WindowSize,
} from '../../../shared/monitoring';
import type { HeldOutPredictions } from '../registry/registry-tasks';
import type { ScoringRepo } from '../store/scoring-repo';
import type { TrackingRepo } from '../store/tracking-repo';
import type { ObjectStore } from '../store/object-store';
import { chi2Contingency2 } from './chi-square';
import { ks2Samp } from './ks-two-sample';
import { readCsvTable } from '../datasets/read-table';
import { csvOptionsFromSniff, sniffCsvFile } from '../datasets/sniff-csv';
import type { MonitoringRepo } from '../store/monitoring-repo';
import type { PredictionLogRow, ServingRepo } from '../store/serving-repo';
import type { RegistryRepo } from '../store/registry-repo';
import { accuracy as accuracyOf, averagedScores, r2Score, rootMeanSquaredError } from '../training/metrics';

/** The stores prediction monitoring reads and writes. */
export interface PredictionMonitorStores {
  monitoring: MonitoringRepo;
  serving: ServingRepo;
  registry: RegistryRepo;
  scoring: ScoringRepo;
}

const WINDOW_MS: Record<WindowSize, number> = { '1h': 3_600_000, '6h': 6 * 3_600_000, '1d': 86_400_000, '7d': 7 * 86_400_000 };

/** Rows read from the log per page (the repo's limit). */
const PAGE = 100_000;

/** Start of the UTC-aligned window holding `at` (epoch ms are UTC, so flooring aligns to UTC midnights and hours). */
export function windowStart(at: number, size: WindowSize): number {
  const w = WINDOW_MS[size];
  return Math.floor(at / w) * w;
}

/** A model's settings, or the defaults (off, 1d, the chapter's 0.7) when none were saved. */
export function settingsOf(stores: PredictionMonitorStores, name: string): MonitorSettings {
  stores.registry.listVersions(name); // not_found for an unknown model
  return (
    stores.monitoring.getSettings(name) ?? { name, enabled: false, window: '1d', threshold: MONITORING_LIMITS.defaultAccuracyThreshold }
  );
}

/** The model's task, from its newest version (every version of a registered model shares the task of its runs). */
function taskOf(stores: PredictionMonitorStores, name: string): 'classification' | 'regression' {
  const versions = stores.registry.listVersions(name);
  if (!versions.length) throw new AppError('not_found', `Model "${name}" has no versions.`);
  return versions[0].task;
}

/** Every logged prediction of the query, oldest first, paging through the log. */
function allPredictions(serving: ServingRepo, q: { model: string; version?: number; from?: number; to?: number }): PredictionLogRow[] {
  const out: PredictionLogRow[] = [];
  let afterId: number | undefined;
  for (;;) {
    const page = serving.listPredictions({ ...q, afterId, limit: PAGE });
    out.push(...page);
    if (page.length < PAGE) return out;
    afterId = page[page.length - 1].id;
  }
}

/** Stats of one window's predictions (and labels, where they arrived). */
function windowOf(
  start: number,
  end: number,
  rows: PredictionLogRow[],
  actuals: Map<string, string>,
  task: 'classification' | 'regression',
  threshold: number,
): PredictionWindow {
  const w: PredictionWindow = {
    start,
    end,
    count: rows.length,
    mean: null,
    std: null,
    min: null,
    max: null,
    classShares: null,
    labelled: 0,
    accuracy: null,
    f1: null,
    rmse: null,
    r2: null,
    belowThreshold: false,
  };
  const labelled = rows.filter((r) => actuals.has(r.predictionId));
  w.labelled = labelled.length;
  if (task === 'regression') {
    const xs = rows.map((r) => Number(r.prediction)).filter(Number.isFinite);
    if (xs.length) {
      const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
      // Population std, as the chapter's np.std.
      w.mean = mean;
      w.std = Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / xs.length);
      w.min = xs.reduce((a, b) => Math.min(a, b), Infinity);
      w.max = xs.reduce((a, b) => Math.max(a, b), -Infinity);
    }
    const pairs = labelled
      .map((r) => [Number(actuals.get(r.predictionId)), Number(r.prediction)])
      .filter(([a, p]) => Number.isFinite(a) && Number.isFinite(p));
    w.labelled = pairs.length;
    if (pairs.length) {
      const yTrue = pairs.map((p) => p[0]);
      const yPred = pairs.map((p) => p[1]);
      w.rmse = rootMeanSquaredError(yTrue, yPred);
      // R² needs two labels at least; one is undefined (NaN) and reported as null.
      const r2 = pairs.length > 1 ? r2Score(yTrue, yPred) : NaN;
      w.r2 = Number.isFinite(r2) ? r2 : null;
      w.belowThreshold = w.r2 !== null && w.r2 < threshold;
    }
    return w;
  }
  if (rows.length) {
    const counts: Record<string, number> = {};
    for (const r of rows) counts[String(r.prediction)] = (counts[String(r.prediction)] ?? 0) + 1;
    w.classShares = Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, n / rows.length]));
  }
  if (labelled.length) {
    // Labels compared as text: a CSV's "1" and a logged prediction 1 are the same class.
    const index = new Map<string, number>();
    const code = (label: string): number => {
      let i = index.get(label);
      if (i === undefined) index.set(label, (i = index.size));
      return i;
    };
    const yTrue = labelled.map((r) => code(actuals.get(r.predictionId)!));
    const yPred = labelled.map((r) => code(String(r.prediction)));
    w.accuracy = accuracyOf(yTrue, yPred);
    w.f1 = averagedScores(yTrue, yPred, index.size).macro.f1;
    w.belowThreshold = w.accuracy < threshold;
  }
  return w;
}

/** Windows of a model's logged predictions (optionally one version and a span), oldest first. */
export function predictionWindows(
  stores: PredictionMonitorStores,
  q: { name: string; version?: number; window: WindowSize; from?: number; to?: number },
): PredictionMonitor {
  return windowsAndRows(stores, q).monitor;
}

/** The windows and the logged rows they were made of. */
function windowsAndRows(
  stores: PredictionMonitorStores,
  q: { name: string; version?: number; window: WindowSize; from?: number; to?: number },
): { monitor: PredictionMonitor; rows: PredictionLogRow[] } {
  const settings = settingsOf(stores, q.name);
  const task = taskOf(stores, q.name);
  if (q.version !== undefined) stores.registry.getVersion(q.name, q.version);
  const rows = allPredictions(stores.serving, { model: q.name, version: q.version, from: q.from, to: q.to });
  const actuals = stores.monitoring.getActuals(rows.map((r) => r.predictionId));
  const size = WINDOW_MS[q.window];
  const groups = new Map<number, PredictionLogRow[]>();
  for (const r of rows) {
    const s = windowStart(r.at, q.window);
    let g = groups.get(s);
    if (!g) groups.set(s, (g = []));
    g.push(r);
  }
  // The newest windows when there are more than the limit.
  const starts = [...groups.keys()].sort((a, b) => a - b).slice(-MONITORING_LIMITS.maxWindows);
  const windows = starts.map((s) => windowOf(s, s + size, groups.get(s)!, actuals, task, settings.threshold));
  const monitor: PredictionMonitor = {
    name: q.name,
    task,
    settings,
    windows,
    predictionDrift: null,
    predictionDriftNote: null,
    labelledSets: stores.monitoring.listLabelledSets(q.name, 50),
  };
  return { monitor, rows };
}

// ---------- prediction drift against the test split ----------

/** What prediction drift needs beyond the stores: the run specs, the model files, and a worker to score the test split. */
export interface PredictionDriftEnv {
  store: PredictionMonitorStores & { tracking: TrackingRepo; objects: ObjectStore };
  runTask<R>(name: string, params: unknown): Promise<R>;
}

/** Test-split predictions per model file and run (a version's file never changes, so one scoring per version and workspace). */
const heldOutCache = new Map<string, Promise<HeldOutPredictions>>();
const HELD_OUT_CACHE_SIZE = 16;

function heldOutPredictions(env: PredictionDriftEnv, modelPath: string, runId: string, spec: unknown): Promise<HeldOutPredictions> {
  const key = `${modelPath}\u0000${runId}`;
  let p = heldOutCache.get(key);
  if (!p) {
    p = env.runTask<HeldOutPredictions>('registry-predict-held-out', { spec, modelPath });
    heldOutCache.set(key, p);
    // A failure is not kept: the data may come back.
    p.catch(() => heldOutCache.delete(key));
    while (heldOutCache.size > HELD_OUT_CACHE_SIZE) heldOutCache.delete(heldOutCache.keys().next().value!);
  }
  return p;
}

/** Shares of 10 equal-width bins on the two samples' common range (finite values), labelled by their lower edge. */
function histogramBars(test: Float64Array, logged: Float64Array): PredictionDrift['bars'] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const xs of [test, logged])
    for (const v of xs)
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
  if (!(lo <= hi)) return [];
  const bins = lo === hi ? 1 : 10;
  const width = (hi - lo) / bins;
  const count = (xs: Float64Array) => {
    const c = new Array<number>(bins).fill(0);
    let n = 0;
    for (const v of xs) {
      if (!Number.isFinite(v)) continue;
      c[Math.min(bins - 1, width > 0 ? Math.floor((v - lo) / width) : 0)]++;
      n++;
    }
    return c.map((k) => (n > 0 ? k / n : 0));
  };
  const a = count(test);
  const b = count(logged);
  return a.map((share, k) => ({ label: Number((lo + k * width).toPrecision(3)).toString(), test: share, logged: b[k] }));
}

/** KS (numbers) or chi-square (classes) of logged predictions against test-split ones; null when a side has nothing. */
export function comparePredictions(
  heldOut: HeldOutPredictions,
  logged: readonly unknown[],
  version: number,
  pThreshold = MONITORING_LIMITS.defaultPThreshold,
): PredictionDrift | null {
  if (heldOut.task === 'regression') {
    const test = Float64Array.from(heldOut.values ?? []);
    const served = Float64Array.from(logged, (v) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN));
    let nTest = 0;
    let nServed = 0;
    for (const v of test) if (v === v) nTest++;
    for (const v of served) if (v === v) nServed++;
    if (nTest === 0 || nServed === 0) return null;
    const ks = ks2Samp(test, served, 'auto');
    return {
      version,
      test: 'ks',
      statistic: ks.statistic,
      pValue: ks.pValue,
      pThreshold,
      drifted: ks.pValue < pThreshold,
      rows: nServed,
      testRows: nTest,
      bars: histogramBars(test, served),
    };
  }
  const labels = heldOut.labels ?? [];
  const served = logged.filter((v) => v !== null && v !== undefined).map(String);
  if (labels.length === 0 || served.length === 0) return null;
  const classes = [...new Set([...labels, ...served])].sort();
  const index = new Map(classes.map((c, k) => [c, k]));
  const a = new Array<number>(classes.length).fill(0);
  const b = new Array<number>(classes.length).fill(0);
  for (const l of labels) a[index.get(l)!]++;
  for (const l of served) b[index.get(l)!]++;
  const chi = chi2Contingency2(a, b);
  return {
    version,
    test: 'chi-square',
    statistic: chi.statistic,
    pValue: chi.pValue,
    pThreshold,
    drifted: chi.pValue < pThreshold,
    rows: served.length,
    testRows: labels.length,
    bars: classes.map((c, k) => ({ label: c, test: a[k] / labels.length, logged: b[k] / served.length })),
  };
}

/**
 * {@link predictionWindows} plus prediction drift: the served predictions of one
 * version (the one asked for, or else the newest version in the span) against
 * that version's own predictions on its run's test split, scored in a worker
 * (once per version). A drift raises one 'prediction-drift' alert per window
 * (the window of the newest prediction compared).
 */
export async function predictionMonitor(
  env: PredictionDriftEnv,
  q: { name: string; version?: number; window: WindowSize; from?: number; to?: number },
): Promise<PredictionMonitor> {
  const { monitor: m, rows: all } = windowsAndRows(env.store, q);
  const { store } = env;
  // The version asked for, or the version of the newest prediction in the span.
  let newest: PredictionLogRow | undefined;
  for (const r of all) if (!newest || r.at > newest.at || (r.at === newest.at && r.id > newest.id)) newest = r;
  const version = q.version ?? newest?.version;
  if (version === undefined) return { ...m, predictionDriftNote: 'No logged predictions in this span to compare with the test split.' };
  const rows = all.filter((r) => r.version === version).sort((a, b) => a.at - b.at || a.id - b.id);
  if (rows.length === 0) return { ...m, predictionDriftNote: `No logged predictions of v${version} in this span to compare with the test split.` };
  let mv;
  try {
    mv = store.registry.getVersion(q.name, version);
  } catch (err) {
    // Predictions of a version deleted since: the windows still show.
    return { ...m, predictionDriftNote: (err as Error).message };
  }
  const spec = store.tracking.getRunSpec(mv.runId);
  if (!spec)
    return { ...m, predictionDriftNote: `v${version} was not trained by the workbench, so its test split is unknown.` };
  let heldOut: HeldOutPredictions;
  try {
    heldOut = await heldOutPredictions(env, store.objects.objectPath(mv.modelSha256), mv.runId, spec);
  } catch (err) {
    // The windows are still worth showing: the page says why the drift is missing instead of failing.
    return { ...m, predictionDriftNote: `The test split of v${version} could not be scored: ${(err as Error).message}` };
  }
  const drift = comparePredictions(
    heldOut,
    rows.map((r) => r.prediction),
    version,
  );
  if (!drift) return { ...m, predictionDriftNote: `v${version}: no predictions to compare (the test split or the span has none).` };
  if (drift.drifted) {
    const at = rows[rows.length - 1].at;
    const start = windowStart(at, m.settings.window);
    const key = { kind: 'prediction-drift' as const, model: q.name, modelVersion: version, windowStart: start, windowSize: m.settings.window };
    if (!store.monitoring.hasWindowAlert(key)) {
      const what = drift.test === 'ks' ? `KS D = ${drift.statistic.toFixed(3)}` : `chi-square = ${drift.statistic.toFixed(2)}`;
      store.monitoring.insertAlert({
        ...key,
        checkId: null,
        message: `Predictions of ${q.name} v${version} drift from its test split: ${what}, p = ${drift.pValue.toPrecision(3)} < ${drift.pThreshold} (${drift.rows} served vs ${drift.testRows} test-split predictions).`,
        value: drift.pValue,
        threshold: drift.pThreshold,
      });
    }
  }
  return { ...m, predictionDrift: drift };
}

// ---------- actual labels ----------

/** Lower-cased, trimmed: column lookups forgive case and spaces. */
const norm = (s: string) => s.trim().toLowerCase();

function sha256OfFile(file: string): string {
  const h = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}

/**
 * Reads a CSV of actual labels and either
 * - joins it on prediction id (a prediction id column and an actual column):
 *   stores the labels whose id is in the model's log, and raises one 'accuracy'
 *   alert per window (of the model's window size) whose accuracy or R² falls
 *   under the threshold — once per window (checked on the alert's window
 *   columns): a window alerted already is not alerted again; or
 * - when the file has no id column but a prediction column (a scored file of
 *   batch scoring, whose predictions are not in the log), compares that column
 *   with the actual column row by row, records the result, and raises one
 *   'accuracy' alert when it is under the threshold (not again for the same file).
 * Nothing is stored when the file has neither shape.
 */
export function importActuals(
  stores: PredictionMonitorStores,
  req: { name: string; file: string; idColumn: string; actualColumn: string; predictionColumn?: string },
): ImportActualsResult {
  const settings = settingsOf(stores, req.name);
  let table;
  try {
    const options = csvOptionsFromSniff(sniffCsvFile(req.file));
    // Every column as text: labels are compared as written ("yes" must not become a boolean, "007" a number).
    table = readCsvTable(req.file, { ...options, columns: options.columns.map((c) => ({ ...c, type: 'text' as const })) });
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('bad_input', `Could not read ${req.file}: ${(err as Error).message}`);
  }
  const names = table.columns.map((c) => c.name);
  const indexOf = (wanted: string) => names.findIndex((n) => norm(n) === norm(wanted));
  const predictionColumn = req.predictionColumn ?? 'prediction';
  const idIdx = indexOf(req.idColumn);
  if (idIdx < 0 && indexOf(predictionColumn) < 0)
    throw new AppError(
      'bad_input',
      `The file has no prediction id column "${req.idColumn}" (its columns: ${names.join(', ')}), nor a "${predictionColumn}" column of a scored file.`,
    );
  const actualIdx = indexOf(req.actualColumn);
  if (actualIdx < 0)
    throw new AppError('bad_input', `The file has no actual label column "${req.actualColumn}" (its columns: ${names.join(', ')}).`);
  if (idIdx < 0) return importScoredFile(stores, settings, req, table, indexOf(predictionColumn), actualIdx);

  const logged = allPredictions(stores.serving, { model: req.name });
  const byId = new Map(logged.map((r) => [r.predictionId, r]));
  const matched: { predictionId: string; actual: string }[] = [];
  let unmatched = 0;
  for (const row of table.rows) {
    const id = row[idIdx];
    const actual = row[actualIdx];
    if (id === null || id === undefined || actual === null || actual === undefined || !byId.has(String(id))) {
      unmatched++;
      continue;
    }
    matched.push({ predictionId: String(id), actual: String(actual) });
  }
  const result: ImportActualsResult = { mode: 'joined', rows: table.rows.length, matched: matched.length, unmatched, alerts: 0, scored: null };
  if (!matched.length) return result;
  stores.monitoring.upsertActuals(matched);

  // Windows the new labels fall in: recompute them and alert those under the threshold.
  const touched = new Set(matched.map((m) => windowStart(byId.get(m.predictionId)!.at, settings.window)));
  const monitor = predictionWindows(stores, { name: req.name, window: settings.window });
  for (const w of monitor.windows) {
    if (!touched.has(w.start) || !w.belowThreshold) continue;
    const key = { kind: 'accuracy' as const, model: req.name, windowStart: w.start, windowSize: settings.window };
    if (stores.monitoring.hasWindowAlert(key)) continue;
    const metric = monitor.task === 'classification' ? 'Accuracy' : 'R²';
    const value = monitor.task === 'classification' ? w.accuracy : w.r2;
    // The window itself is in the alert's columns (the alert list shows it).
    stores.monitoring.insertAlert({
      ...key,
      modelVersion: null,
      checkId: null,
      message: `${metric} ${value!.toFixed(3)} under ${settings.threshold} (${w.labelled} labelled predictions): retraining recommended.`,
      value,
      threshold: settings.threshold,
    });
    result.alerts++;
  }
  return result;
}

/** A scored file's prediction column against its actual column; recorded, with one alert under the threshold. */
function importScoredFile(
  stores: PredictionMonitorStores,
  settings: MonitorSettings,
  req: { name: string; file: string },
  table: { rows: unknown[][] },
  predIdx: number,
  actualIdx: number,
): ImportActualsResult {
  const task = taskOf(stores, req.name);
  const pairs: [string, string][] = [];
  for (const row of table.rows) {
    const p = row[predIdx];
    const a = row[actualIdx];
    if (p === null || p === undefined || a === null || a === undefined || String(p).trim() === '' || String(a).trim() === '') continue;
    pairs.push([String(a), String(p)]);
  }
  const result: ImportActualsResult = {
    mode: 'scored-file',
    rows: table.rows.length,
    matched: pairs.length,
    unmatched: table.rows.length - pairs.length,
    alerts: 0,
    scored: null,
  };
  const scored: Omit<LabelledScoredFile, 'id' | 'at' | 'version' | 'predictionSetId' | 'sourceLabel'> = {
    rows: table.rows.length,
    labelled: 0,
    accuracy: null,
    f1: null,
    rmse: null,
    r2: null,
    belowThreshold: false,
  };
  if (task === 'regression') {
    const nums = pairs.map(([a, p]) => [Number(a), Number(p)]).filter(([a, p]) => Number.isFinite(a) && Number.isFinite(p));
    scored.labelled = nums.length;
    if (nums.length) {
      const yTrue = nums.map((x) => x[0]);
      const yPred = nums.map((x) => x[1]);
      scored.rmse = rootMeanSquaredError(yTrue, yPred);
      const r2 = nums.length > 1 ? r2Score(yTrue, yPred) : NaN;
      scored.r2 = Number.isFinite(r2) ? r2 : null;
      scored.belowThreshold = scored.r2 !== null && scored.r2 < settings.threshold;
    }
  } else if (pairs.length) {
    const index = new Map<string, number>();
    const code = (label: string): number => {
      let i = index.get(label);
      if (i === undefined) index.set(label, (i = index.size));
      return i;
    };
    const yTrue = pairs.map(([a]) => code(a));
    const yPred = pairs.map(([, p]) => code(p));
    scored.labelled = pairs.length;
    scored.accuracy = accuracyOf(yTrue, yPred);
    scored.f1 = averagedScores(yTrue, yPred, index.size).macro.f1;
    scored.belowThreshold = scored.accuracy < settings.threshold;
  }
  result.matched = scored.labelled;
  result.unmatched = table.rows.length - scored.labelled;
  if (scored.labelled === 0) return result;
  const sha256 = sha256OfFile(req.file);
  // The scored file as batch scoring wrote it (or its copy): the prediction set and version it came from.
  const set = stores.scoring.listSets({ model: req.name, limit: 1000 }).find((s) => s.sha256 === sha256) ?? null;
  const seen = stores.monitoring.hasLabelledSet(req.name, sha256);
  const row = stores.monitoring.insertLabelledSet({
    ...scored,
    model: req.name,
    sha256,
    version: set?.version ?? null,
    predictionSetId: set?.id ?? null,
    sourceLabel: path.basename(req.file),
  });
  result.scored = row;
  if (row.belowThreshold && !seen) {
    const metric = task === 'classification' ? 'Accuracy' : 'R²';
    const value = task === 'classification' ? row.accuracy : row.r2;
    stores.monitoring.insertAlert({
      kind: 'accuracy',
      model: req.name,
      modelVersion: row.version,
      checkId: null,
      message: `${metric} ${value!.toFixed(3)} under ${settings.threshold} on the scored file ${row.sourceLabel} (${row.labelled} labelled rows): retraining recommended.`,
      value,
      threshold: settings.threshold,
    });
    result.alerts++;
  }
  return result;
}
