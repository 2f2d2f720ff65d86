/**
 * The New run wizard's checks before launch, as one pure function: the wizard
 * blocks Next/Launch with each problem's message beside its field, and the
 * launch handler runs the same checks on the server (with the version's
 * profile), so a problem reads the same whichever side finds it. Problems are
 * codes with values (translated in the renderer), plus an English message.
 */
import { MAX_MODELS_PER_LAUNCH } from './contracts/tracking';
import { TRACKING_LIMITS } from './tracking';
import {
  ALGORITHM_TASKS,
  PARAM_LIMITS,
  PARAMS_SCHEMAS,
  TRAIN_REQUEST_LIMITS,
  type AlgorithmId,
  type NumberLimit,
  type TaskChoice,
  type TrainableVersion,
  type TrainTask,
} from './training';

/** The wizard's steps, in order: a problem names the one it concerns. */
export const WIZARD_STEPS = ['dataset', 'target', 'models', 'validation', 'review'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

/** What the wizard would launch (numbers as typed: NaN when a field is empty or not a number). */
export interface LaunchDraft {
  versionId: number | null;
  target: string;
  task: TaskChoice;
  /** Feature columns (the target is never one). */
  features: string[];
  /** The chosen recipe's own target and dropped columns (null: the built-in encoding). */
  recipe: { target: string | null; drop: readonly string[] } | null;
  testSize: number;
  stratify: boolean;
  cvFolds: number;
  seed: number;
  models: { algorithm: AlgorithmId; params: Record<string, unknown>; runName?: string }[];
}

export type LaunchProblemCode =
  | 'noVersion'
  | 'noTarget'
  | 'unknownTarget'
  | 'targetNoTask'
  | 'oneClass'
  | 'tooManyClasses'
  | 'regressionNeedsNumber'
  | 'recipeDropsTarget'
  | 'recipeOtherTarget'
  | 'noFeatures'
  | 'noModels'
  | 'tooManyModels'
  | 'modelTask'
  | 'paramRange'
  | 'paramInvalid'
  | 'runNameLong'
  | 'testSizeRange'
  | 'testSizeTooFewRows'
  | 'cvRange'
  | 'cvOverSmallestClass'
  | 'cvOverTrainRows'
  | 'seedRange';

/** One problem: where (step and field) and what (code, values for the message, and the English text). */
export interface LaunchProblem {
  step: WizardStep;
  /** The field: `target`, `testSize`, `cvFolds`, `models.0.params.nEstimators`, `models.1.runName`, … */
  field: string;
  code: LaunchProblemCode;
  values: Record<string, string | number>;
  message: string;
}

const FAMILY: Record<AlgorithmId, keyof typeof PARAM_LIMITS> = {
  rf: 'forest',
  et: 'forest',
  gbm: 'gbm',
  logreg: 'logreg',
  linear: 'linear',
};

/** A hyper-parameter's numeric bounds (shared/training.ts PARAM_LIMITS), if it has some. */
export function paramLimit(algorithm: AlgorithmId, key: string): NumberLimit | undefined {
  return (PARAM_LIMITS[FAMILY[algorithm]] as Record<string, NumberLimit>)[key];
}

const pct = (share: number) => Math.round(share * 1000) / 10;
const inLimit = (v: number, l: NumberLimit) => Number.isFinite(v) && v >= l.min && v <= l.max && (!l.integer || Number.isInteger(v));

/** The task a draft trains: the chosen one, or the one the target column implies. */
export function resolveTask(draft: Pick<LaunchDraft, 'target' | 'task'>, version: TrainableVersion | null): TrainTask | null {
  if (draft.task !== 'auto') return draft.task;
  return version?.columns.find((c) => c.name === draft.target)?.detectedTask ?? null;
}

/**
 * Rows of each class in the training part, as the engine's stratified split leaves them: the
 * test part is ceil(n × share) rows, shared among classes in proportion (each keeps ≥ 1 row).
 */
function smallestTrainingClass(
  counts: readonly { value: string; count: number }[],
  testSize: number,
): { value: string; total: number; train: number } {
  const n = counts.reduce((s, c) => s + c.count, 0);
  const nTest = testSize > 0 ? Math.ceil(n * testSize) : 0;
  let best = { value: '', total: Infinity, train: Infinity };
  for (const c of counts) {
    const inTest = n > 0 ? Math.min(Math.round((c.count * nTest) / n), Math.max(0, c.count - 1)) : 0;
    const train = c.count - inTest;
    if (train < best.train || (train === best.train && c.count < best.total)) best = { value: c.value, total: c.count, train };
  }
  return best;
}

/**
 * Every problem that would block a launch, in step order (empty: it can launch).
 * `version` is the chosen dataset version as `training:sources` lists it (its
 * columns' types, distinct counts and, for low-cardinality columns, the rows per class).
 */
export function checkLaunch(draft: LaunchDraft, version: TrainableVersion | null): LaunchProblem[] {
  const out: LaunchProblem[] = [];
  const add = (step: WizardStep, field: string, code: LaunchProblemCode, message: string, values: Record<string, string | number> = {}) =>
    out.push({ step, field, code, values, message });

  if (draft.versionId === null || !version) {
    add('dataset', 'versionId', 'noVersion', 'Choose a dataset version.');
    return out;
  }
  const column = version.columns.find((c) => c.name === draft.target);
  const task = resolveTask(draft, version);
  if (!draft.target) add('target', 'target', 'noTarget', 'Choose a target column.');
  else if (!column) {
    const names = version.columns.map((c) => c.name);
    const list = `${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}`;
    add('target', 'target', 'unknownTarget', `Target "${draft.target}": no such column in ${version.label} (columns: ${list}).`, {
      target: draft.target,
      dataset: version.label,
      columns: list,
    });
  } else if (!task)
    add('target', 'task', 'targetNoTask', `A ${column.type} column cannot be a target; choose another column or set the task.`, {
      target: column.name,
      type: column.type,
    });
  else if (task === 'classification') {
    const classes = column.classCounts ? column.classCounts.length : column.distinct;
    const rows = version.rows - column.missing;
    if (classes < 2)
      add(
        'target',
        'target',
        'oneClass',
        `The target "${column.name}" has ${classes === 1 ? 'only one class' : 'no values'}; classification needs at least two classes.`,
        {
          target: column.name,
          classes,
        },
      );
    else if (classes > rows / 2)
      add(
        'target',
        'target',
        'tooManyClasses',
        `The target "${column.name}" has ${classes} classes for ${rows} rows; classification needs on average at least 2 rows per class.`,
        {
          target: column.name,
          classes,
          rows,
        },
      );
  } else if (column.type !== 'integer' && column.type !== 'number') {
    add('target', 'task', 'regressionNeedsNumber', `Regression needs a numeric target; "${column.name}" is ${column.type}.`, {
      target: column.name,
      type: column.type,
    });
  }
  if (column && draft.recipe) {
    if (draft.recipe.drop.includes(draft.target))
      add('target', 'recipeId', 'recipeDropsTarget', `This recipe drops the target "${draft.target}".`, { target: draft.target });
    else if (draft.recipe.target !== draft.target)
      add(
        'target',
        'recipeId',
        'recipeOtherTarget',
        `This recipe was saved for target "${draft.recipe.target ?? '—'}", not "${draft.target}".`,
        {
          target: draft.target,
          recipeTarget: draft.recipe.target ?? '—',
        },
      );
  }
  const features = draft.features.filter((f) => f !== draft.target);
  if (column && features.length < TRAIN_REQUEST_LIMITS.features.min)
    add('target', 'features', 'noFeatures', 'Choose at least one feature column.');

  if (draft.models.length === 0) add('models', 'models', 'noModels', 'Choose at least one model.');
  if (draft.models.length > MAX_MODELS_PER_LAUNCH)
    add('models', 'models', 'tooManyModels', `At most ${MAX_MODELS_PER_LAUNCH} models can be launched at once.`, {
      max: MAX_MODELS_PER_LAUNCH,
    });
  draft.models.forEach((m, i) => {
    if (task && !ALGORITHM_TASKS[m.algorithm].includes(task))
      add('models', `models.${i}.algorithm`, 'modelTask', `Model ${i + 1} (${m.algorithm}) cannot do ${task}.`, {
        algorithm: m.algorithm,
        task,
        index: i + 1,
      });
    const parsed = PARAMS_SCHEMAS[m.algorithm].safeParse(m.params);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = issue.path.map(String).join('.');
        const limit = paramLimit(m.algorithm, key);
        const field = key ? `models.${i}.params.${key}` : `models.${i}.params`;
        if (limit && typeof m.params[key] === 'number')
          add('models', field, 'paramRange', `${key} must be ${limit.integer ? 'a whole number ' : ''}from ${limit.min} to ${limit.max}.`, {
            param: key,
            min: limit.min,
            max: limit.max,
            index: i + 1,
          });
        else
          add('models', field, 'paramInvalid', `${key ? `${key}: ` : ''}${issue.message}`, {
            param: key,
            detail: issue.message,
            index: i + 1,
          });
      }
    }
    if (m.runName !== undefined && m.runName.trim().length > TRACKING_LIMITS.maxRunNameLength)
      add('models', `models.${i}.runName`, 'runNameLong', `A run name has at most ${TRACKING_LIMITS.maxRunNameLength} characters.`, {
        max: TRACKING_LIMITS.maxRunNameLength,
        index: i + 1,
      });
  });

  const L = TRAIN_REQUEST_LIMITS;
  const testOk = inLimit(draft.testSize, L.testSize);
  if (!testOk)
    add('validation', 'testSize', 'testSizeRange', `The test share must be from ${pct(L.testSize.min)}% to ${pct(L.testSize.max)}%.`, {
      min: pct(L.testSize.min),
      max: pct(L.testSize.max),
    });
  else if (draft.testSize > 0 && (version.rows < 2 || Math.ceil(version.rows * draft.testSize) >= version.rows))
    add(
      'validation',
      'testSize',
      'testSizeTooFewRows',
      `A test share of ${pct(draft.testSize)}% leaves no training rows of ${version.rows}.`,
      {
        share: pct(draft.testSize),
        rows: version.rows,
      },
    );
  const k = draft.cvFolds;
  if (!inLimit(k, L.cvFolds) || k === 1)
    add('validation', 'cvFolds', 'cvRange', `Cross-validation folds must be 0 (none) or from 2 to ${L.cvFolds.max}.`, {
      max: L.cvFolds.max,
    });
  else if (k > 0 && testOk && column && task) {
    const rows = version.rows - column.missing;
    const trainRows = rows - (draft.testSize > 0 ? Math.ceil(rows * draft.testSize) : 0);
    const least =
      task === 'classification' && column.classCounts?.length ? smallestTrainingClass(column.classCounts, draft.testSize) : null;
    if (least && least.train < k)
      add(
        'validation',
        'cvFolds',
        'cvOverSmallestClass',
        least.train === least.total
          ? `${k} folds need at least ${k} rows of each class; class "${least.value}" has ${least.total}.`
          : `${k} folds need at least ${k} training rows of each class; class "${least.value}" has ${least.total} rows, ${least.train} after the test split.`,
        { k, value: least.value, rows: least.total, train: least.train },
      );
    else if (trainRows < k)
      add('validation', 'cvFolds', 'cvOverTrainRows', `${k} folds need at least ${k} training rows; the test split leaves ${trainRows}.`, {
        k,
        train: trainRows,
      });
  }
  if (!inLimit(draft.seed, L.seed))
    add('validation', 'seed', 'seedRange', `The seed must be a whole number from 0 to ${L.seed.max}.`, { max: L.seed.max });
  return out;
}
