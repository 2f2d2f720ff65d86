import {
  aliasSchema,
  MODEL_STAGES,
  versionNumberSchema,
  type GateOperator,
  type GateSpec,
  type ModelStage,
  type ModelVersion,
  type VersionSelector,
} from '../../../../shared/registry';
import type { ColumnProfile } from '../../../../shared/datasets';

/** Metrics a card shows first, per task (the rest are on the version page). */
const HEADLINE: Record<ModelVersion['task'], string[]> = {
  classification: ['accuracy', 'f1_macro', 'roc_auc', 'f1', 'balanced_accuracy', 'log_loss'],
  regression: ['r2', 'rmse', 'mae', 'mse'],
};

/** Up to `max` of a version's metrics for its card: the task's headline ones first, then by name; CV and timing keys left out. */
export function keyMetrics(version: Pick<ModelVersion, 'task' | 'metrics'>, max = 3): { key: string; value: number | null }[] {
  const keys = Object.keys(version.metrics).filter((k) => !k.startsWith('cv_') && k !== 'training_duration_s');
  const order = HEADLINE[version.task] ?? [];
  const ranked = [...order.filter((k) => keys.includes(k)), ...keys.filter((k) => !order.includes(k)).sort()];
  return ranked.slice(0, max).map((key) => {
    const v = version.metrics[key];
    return { key, value: typeof v === 'number' ? v : null };
  });
}

/** A metric as the cards show it: four decimals, integers whole, non-finite values by name. */
export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return value.toExponential(3);
  return abs >= 1000 ? value.toFixed(2) : value.toFixed(4);
}

/** "3 minutes ago" in the UI language, from the largest unit that fits. */
export function relativeAge(at: number, now: number, language: 'en' | 'ja'): string {
  const seconds = Math.round((at - now) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 365 * 86400],
    ['month', 30 * 86400],
    ['week', 7 * 86400],
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ];
  const fmt = new Intl.RelativeTimeFormat(language === 'ja' ? 'ja-JP' : 'en-US', { numeric: 'auto' });
  for (const [unit, size] of units) if (Math.abs(seconds) >= size) return fmt.format(Math.trunc(seconds / size), unit);
  return fmt.format(0, 'second');
}

/** Where a card can move from its stage (every other stage; the board does not impose an order, MLflow does not either). */
export function otherStages(stage: ModelStage): ModelStage[] {
  return MODEL_STAGES.filter((s) => s !== stage);
}

/** The stage `step` columns away on the board, or null past either end. */
export function neighbourStage(stage: ModelStage, step: number): ModelStage | null {
  return MODEL_STAGES[MODEL_STAGES.indexOf(stage) + step] ?? null;
}

/** A version selector as the serving and scoring forms hold it: `stage:Production`, `version:3`, `alias:champion`. */
export type SelectorChoice = string;

export function selectorToChoice(selector: VersionSelector): SelectorChoice {
  if (selector.kind === 'stage') return `stage:${selector.stage}`;
  if (selector.kind === 'version') return `version:${selector.version}`;
  return `alias:${selector.alias}`;
}

/** Reads a form choice back; null when it does not name a valid stage, version or alias. */
export function choiceToSelector(choice: SelectorChoice): VersionSelector | null {
  const colon = choice.indexOf(':');
  const kind = choice.slice(0, colon);
  const value = choice.slice(colon + 1);
  if (kind === 'stage') {
    const stage = MODEL_STAGES.find((s) => s === value);
    return stage ? { kind: 'stage', stage } : null;
  }
  if (kind === 'version') {
    const parsed = versionNumberSchema.safeParse(Number(value));
    return /^\d+$/.test(value) && parsed.success ? { kind: 'version', version: parsed.data } : null;
  }
  if (kind === 'alias') return aliasSchema.safeParse(value).success ? { kind: 'alias', alias: value } : null;
  return null;
}

/** The gate form of the register dialog. */
export interface GateForm {
  metricOn: boolean;
  metric: string;
  op: GateOperator;
  threshold: string;
  cvGap: boolean;
  beatProduction: boolean;
}

/** The chapter's overfitting limit for |test − CV|. */
export const CV_GAP_LIMIT = 0.1;

/** Builds the gate spec from the form; an error names the field that is wrong. */
export function gateSpecFromForm(form: GateForm): { spec: GateSpec } | { error: 'metric' | 'threshold' } {
  const spec: GateSpec = {};
  if (form.metricOn) {
    if (!form.metric.trim()) return { error: 'metric' };
    const threshold = Number(form.threshold);
    if (form.threshold.trim() === '' || !Number.isFinite(threshold)) return { error: 'threshold' };
    spec.metric = { key: form.metric.trim(), op: form.op, threshold };
  }
  if (form.cvGap) spec.maxCvGap = CV_GAP_LIMIT;
  if (form.beatProduction) spec.beatProduction = true;
  return { spec };
}

/** A curl command that asks the server for one prediction (records as the model's columns want them). */
export function curlExample(url: string, record: Record<string, unknown>): string {
  const body = JSON.stringify({ records: [record] }).replace(/'/g, "'\\''");
  return `curl -s -X POST ${url}/predict -H 'content-type: application/json' -d '${body}'`;
}

/**
 * One plausible input row for the curl example, from the training data's
 * profile: each feature column's median (numbers) or most frequent value, as the CSV wrote it.
 * `features` (the run's `features` param) narrows the columns; the target is left out.
 */
export function exampleRecord(
  columns: readonly ColumnProfile[],
  target: string | undefined,
  features?: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    if (c.name === target || (features && features.length > 0 && !features.includes(c.name))) continue;
    if (c.type === 'number' || c.type === 'integer') {
      const v = c.median ?? c.mean ?? 0;
      out[c.name] = c.type === 'integer' ? Math.round(v) : Number(v.toPrecision(4));
    } else out[c.name] = c.topValues?.[0]?.value ?? '';
  }
  return out;
}

/** A file name for a download: unsafe characters replaced, never empty. */
export function safeFileStem(name: string): string {
  const safe = [...name].map((c) => (c.charCodeAt(0) < 0x20 || '\\/:*?"<>|'.includes(c) ? '_' : c)).join('');
  return safe.slice(0, 80) || 'model';
}

/** The message key for a count: `KEY.one` for exactly one (English needs it; Japanese repeats the text). */
export function countKey(key: string, n: number): string {
  return n === 1 ? `${key}.one` : key;
}
