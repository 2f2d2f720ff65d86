/**
 * Prediction monitoring of a served model: the chapter's `monitor_predictions`
 * per UTC-aligned time window over the prediction log (count, mean/std/min/max
 * or class shares), and — once actual labels arrive, joined on prediction id —
 * accuracy and macro F1 (classification) or RMSE and R² (regression), with an
 * 'accuracy' alert for each window that falls under the model's threshold.
 */
import { AppError } from '../../../shared/errors';
import {
  MONITORING_LIMITS,
  type ImportActualsResult,
  type MonitorSettings,
  type PredictionMonitor,
  type PredictionWindow,
  type WindowSize,
} from '../../../shared/monitoring';
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
  // Prediction drift against the test split's predictions is not computed yet (see the handler's report).
  return { name: q.name, task, settings, windows, predictionDrift: null };
}

/** Lower-cased, trimmed: column lookups forgive case and spaces. */
const norm = (s: string) => s.trim().toLowerCase();

/**
 * Reads a CSV of actual labels (a prediction id column and an actual column),
 * stores those whose id is in the model's log, and raises one 'accuracy' alert
 * per window (of the model's window size) whose accuracy or R² falls under the
 * threshold — once per window: a window alerted already is not alerted again.
 */
export function importActuals(
  stores: PredictionMonitorStores,
  req: { name: string; file: string; idColumn: string; actualColumn: string },
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
  const find = (wanted: string, what: string): number => {
    const i = names.findIndex((n) => norm(n) === norm(wanted));
    if (i < 0) throw new AppError('bad_input', `The file has no ${what} column "${wanted}" (its columns: ${names.join(', ')}).`);
    return i;
  };
  const idIdx = find(req.idColumn, 'prediction id');
  const actualIdx = find(req.actualColumn, 'actual label');

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
  if (!matched.length) return { rows: table.rows.length, matched: 0, unmatched, alerts: 0 };
  stores.monitoring.upsertActuals(matched);

  // Windows the new labels fall in: recompute them and alert those under the threshold.
  const touched = new Set(matched.map((m) => windowStart(byId.get(m.predictionId)!.at, settings.window)));
  const monitor = predictionWindows(stores, { name: req.name, window: settings.window });
  const alerted = new Set(
    stores.monitoring
      .listAlerts({ includeAcknowledged: true, model: req.name, limit: 5000 })
      .filter((a) => a.kind === 'accuracy')
      .map((a) => a.message),
  );
  let alerts = 0;
  for (const w of monitor.windows) {
    if (!touched.has(w.start) || !w.belowThreshold) continue;
    const metric = monitor.task === 'classification' ? 'Accuracy' : 'R²';
    const value = monitor.task === 'classification' ? w.accuracy : w.r2;
    // The window's text is part of the message, so "once per window" is checked on it.
    const span = `${settings.window} window from ${new Date(w.start).toISOString()}`;
    if ([...alerted].some((m) => m.includes(span))) continue;
    stores.monitoring.insertAlert({
      kind: 'accuracy',
      model: req.name,
      modelVersion: null,
      checkId: null,
      message: `${metric} ${value!.toFixed(3)} under ${settings.threshold} in the ${span} (${w.labelled} labelled predictions): retraining recommended.`,
      value,
      threshold: settings.threshold,
    });
    alerts++;
  }
  return { rows: table.rows.length, matched: matched.length, unmatched, alerts };
}
