/**
 * Pipelines in words and back: a definition's triggers as a sentence, the
 * wizard's form ⇄ a definition, and a server refusal's zod paths mapped to the
 * wizard step that holds the field. No React, so it is unit-tested.
 */
import {
  WEEKDAYS,
  type PipelineDefinition,
  type PipelineDefinitionInput,
  type PipelineRunStatus,
  type PipelineStepStatus,
  type Schedule,
} from '../../../../shared/pipelines';
import type { GateOperator } from '../../../../shared/registry';
import type { AlgorithmId, TaskChoice, TrainTask } from '../../../../shared/training';
import { paramsFromForm, type ParamValues } from '../experiments/wizard/param-fields';

type T = (key: string, params?: Record<string, string | number>) => string;

/** One schedule in words: "daily at 02:00", "weekly on Monday at 06:30", "every 6 hours", "cron 0 3 * * 1-5". */
export function scheduleText(t: T, schedule: Schedule): string {
  switch (schedule.kind) {
    case 'daily':
      return t('pl.when.daily', { at: schedule.at });
    case 'weekly':
      return t('pl.when.weekly', { day: t(`pl.day.${schedule.day}`), at: schedule.at });
    case 'hours':
      return schedule.every === 1 ? t('pl.when.hour') : t('pl.when.hours', { n: String(schedule.every) });
    case 'cron':
      return t('pl.when.cron', { expression: schedule.expression });
  }
}

/** Every trigger of a definition, in words (the schedule with its time zone); "manual only" when none. */
export function triggerTexts(t: T, def: Pick<PipelineDefinition, 'triggers' | 'timezone'>): string[] {
  const out: string[] = [];
  const { schedule, onNewData, onDrift } = def.triggers;
  if (schedule) out.push(schedule.kind === 'hours' ? scheduleText(t, schedule) : `${scheduleText(t, schedule)} (${def.timezone})`);
  if (onNewData) out.push(t('pl.when.newData'));
  if (onDrift) out.push(t('pl.when.drift'));
  if (out.length === 0) out.push(t('pl.when.manual'));
  return out;
}

/** A duration in ms as "850 ms", "12.3 s", "4 min 05 s", "2 h 03 min". */
export function durationText(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.floor(s % 60)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export const RUN_FINISHED: readonly PipelineRunStatus[] = ['succeeded', 'failed', 'refused', 'cancelled', 'interrupted'];
/** Runs that "Retry from failed step" applies to (as pipelines:retry accepts). */
export const RETRYABLE: readonly PipelineRunStatus[] = ['failed', 'interrupted', 'cancelled'];
export const STEP_STATUSES: readonly PipelineStepStatus[] = ['pending', 'running', 'succeeded', 'failed', 'skipped', 'cancelled'];

// ---------- the wizard's form ----------

export interface ModelDraft {
  key: number;
  algorithm: AlgorithmId;
  params: ParamValues;
}

export type ScheduleKind = 'none' | Schedule['kind'];

/** Everything the wizard edits, as the inputs hold it (text fields are strings). */
export interface PipelineForm {
  name: string;
  description: string;
  sourceKind: 'dataset' | 'watch';
  dataset: string;
  watchPath: string;
  watchDataset: string;
  suite: string;
  recipe: string;
  target: string;
  task: TaskChoice;
  testPercent: string;
  cvFolds: string;
  seed: string;
  models: ModelDraft[];
  selectMetric: string;
  model: string;
  metricOn: boolean;
  metric: string;
  op: GateOperator;
  threshold: string;
  cvGapOn: boolean;
  cvGap: string;
  beatProduction: boolean;
  stage: 'None' | 'Staging';
  toProduction: boolean;
  rollbackIfWorse: boolean;
  scheduleKind: ScheduleKind;
  at: string;
  day: (typeof WEEKDAYS)[number];
  every: string;
  cron: string;
  timezone: string;
  onNewData: boolean;
  onDrift: boolean;
}

/** The machine's IANA time zone (what a new pipeline's schedule is read in). */
export function localTimezone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

let nextKey = 1;
export function newModel(algorithm: AlgorithmId): ModelDraft {
  return { key: nextKey++, algorithm, params: {} };
}

export function emptyForm(timezone = localTimezone()): PipelineForm {
  return {
    name: '',
    description: '',
    sourceKind: 'dataset',
    dataset: '',
    watchPath: '',
    watchDataset: '',
    suite: '',
    recipe: '',
    target: '',
    task: 'auto',
    testPercent: '20',
    cvFolds: '0',
    seed: '0',
    models: [newModel('rf')],
    selectMetric: '',
    model: '',
    metricOn: true,
    metric: '',
    op: '>=',
    threshold: '0.8',
    cvGapOn: false,
    cvGap: '0.1',
    beatProduction: false,
    stage: 'Staging',
    toProduction: false,
    rollbackIfWorse: true,
    scheduleKind: 'none',
    at: '02:00',
    day: 'mon',
    every: '24',
    cron: '0 3 * * 1-5',
    timezone,
    onNewData: false,
    onDrift: false,
  };
}

/** A text field as a number; a blank or unreadable one stays text so the server names it (zod: "must be a number"). */
function num(text: string): number {
  const s = text.trim();
  return s === '' ? Number.NaN : Number(s);
}

/** A model's params as the request wants them, only those the user set (the rest are the engine's defaults, left out of the file). */
function touchedParams(m: ModelDraft, task: TrainTask | null): Record<string, string | number | boolean> {
  const all = paramsFromForm(m.algorithm, task, m.params);
  return Object.fromEntries(Object.entries(all).filter(([k]) => k in m.params));
}

/** Form → the definition pipelines:save parses (the server is the judge of every rule). */
export function definitionFromForm(form: PipelineForm, task: TrainTask | null): PipelineDefinitionInput {
  const source =
    form.sourceKind === 'dataset'
      ? ({ kind: 'dataset', dataset: form.dataset } as const)
      : ({ kind: 'watch', path: form.watchPath, dataset: form.watchDataset } as const);
  const gates: NonNullable<PipelineDefinitionInput['gates']> = {};
  if (form.metricOn) {
    gates.metric = { op: form.op, threshold: num(form.threshold) };
    if (form.metric.trim()) gates.metric.key = form.metric.trim();
  }
  if (form.cvGapOn) gates.maxCvGap = num(form.cvGap);
  if (form.beatProduction) gates.beatProduction = true;
  let schedule: Schedule | null = null;
  if (form.scheduleKind === 'daily') schedule = { kind: 'daily', at: form.at };
  else if (form.scheduleKind === 'weekly') schedule = { kind: 'weekly', day: form.day, at: form.at };
  else if (form.scheduleKind === 'hours') schedule = { kind: 'hours', every: num(form.every) };
  else if (form.scheduleKind === 'cron') schedule = { kind: 'cron', expression: form.cron };
  return {
    name: form.name,
    description: form.description,
    source,
    validationSuite: form.suite || null,
    recipe: form.recipe || null,
    training: {
      target: form.target,
      task: form.task,
      testSize: num(form.testPercent) / 100,
      stratify: true,
      cvFolds: num(form.cvFolds),
      seed: num(form.seed),
    },
    models: form.models.map((m) => ({ algorithm: m.algorithm, params: touchedParams(m, task) })) as PipelineDefinitionInput['models'],
    selectBy: form.selectMetric ? { metric: form.selectMetric } : {},
    model: form.model,
    gates,
    stage: form.stage,
    promotion: { toProduction: form.toProduction, rollbackIfWorse: form.rollbackIfWorse },
    triggers: { schedule, onNewData: form.onNewData, onDrift: form.onDrift },
    timezone: form.timezone,
  };
}

/** A saved definition → the form (editing a pipeline). */
export function formFromDefinition(def: PipelineDefinition): PipelineForm {
  const base = emptyForm(def.timezone);
  const s = def.triggers.schedule;
  const g = def.gates;
  return {
    ...base,
    name: def.name,
    description: def.description,
    sourceKind: def.source.kind,
    dataset: def.source.kind === 'dataset' ? def.source.dataset : '',
    watchPath: def.source.kind === 'watch' ? def.source.path : '',
    watchDataset: def.source.kind === 'watch' ? def.source.dataset : '',
    suite: def.validationSuite ?? '',
    recipe: def.recipe ?? '',
    target: def.training.target,
    task: def.training.task,
    testPercent: String(Math.round(def.training.testSize * 1000) / 10),
    cvFolds: String(def.training.cvFolds),
    seed: String(def.training.seed),
    models: def.models.map((m) => ({
      ...newModel(m.algorithm),
      params: Object.fromEntries(
        Object.entries(m.params as Record<string, unknown>)
          .filter(([, v]) => v !== null && v !== undefined)
          .map(([k, v]) => [k, typeof v === 'boolean' ? v : String(v)]),
      ),
    })),
    selectMetric: def.selectBy.metric ?? '',
    model: def.model,
    metricOn: !!g.metric,
    metric: g.metric?.key ?? '',
    op: g.metric?.op ?? '>=',
    threshold: g.metric ? String(g.metric.threshold) : base.threshold,
    cvGapOn: g.maxCvGap !== undefined,
    cvGap: g.maxCvGap !== undefined ? String(g.maxCvGap) : base.cvGap,
    beatProduction: g.beatProduction === true,
    stage: def.stage,
    toProduction: def.promotion.toProduction,
    rollbackIfWorse: def.promotion.rollbackIfWorse,
    scheduleKind: s ? s.kind : 'none',
    at: s && (s.kind === 'daily' || s.kind === 'weekly') ? s.at : base.at,
    day: s && s.kind === 'weekly' ? s.day : base.day,
    every: s && s.kind === 'hours' ? String(s.every) : base.every,
    cron: s && s.kind === 'cron' ? s.expression : base.cron,
    onNewData: def.triggers.onNewData,
    onDrift: def.triggers.onDrift,
  };
}

// ---------- the server's refusals ----------

export const WIZARD_STEPS = ['source', 'training', 'models', 'registration', 'triggers', 'review'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

/** One refusal, with the definition's field it names ('' for the whole definition) and the step that holds it. */
export interface FieldError {
  field: string;
  step: WizardStep;
  message: string;
}

/** The wizard step a definition field is edited on. */
export function stepOfField(field: string): WizardStep {
  const head = field.split('.')[0];
  if (head === 'name' || head === 'description' || head === 'source') return 'source';
  if (head === 'validationSuite' || head === 'recipe' || head === 'training') return 'training';
  if (head === 'models' || head === 'selectBy') return 'models';
  if (head === 'model' || head === 'gates' || head === 'stage' || head === 'promotion') return 'registration';
  if (head === 'triggers' || head === 'timezone') return 'triggers';
  return 'review';
}

/**
 * A refused pipelines:save as field errors: zod's issues (details, paths under
 * `definition.`) each on its field, else the message on the field it talks
 * about (a schedule croner cannot read, an unknown time zone) or on the whole.
 */
export function fieldErrors(err: { code?: string; message: string; details?: unknown }): FieldError[] {
  const lines = Array.isArray(err.details) ? (err.details as { path?: unknown; message?: unknown }[]) : [];
  const issues = lines.filter((l) => typeof l.path === 'string' && typeof l.message === 'string') as { path: string; message: string }[];
  if (issues.length > 0)
    return issues.map((i) => {
      const field = i.path.replace(/^definition\.?/, '');
      return { field, step: stepOfField(field), message: i.message };
    });
  if (/^Schedule /.test(err.message)) return [{ field: 'triggers.schedule', step: 'triggers', message: err.message }];
  if (/time zone/i.test(err.message)) return [{ field: 'timezone', step: 'triggers', message: err.message }];
  return [{ field: '', step: 'review', message: err.message }];
}

/** The errors of one field (or of every field under it, e.g. `models.0`). */
export function errorsOf(errors: readonly FieldError[], field: string): FieldError[] {
  return errors.filter((e) => e.field === field || e.field.startsWith(`${field}.`));
}
