import { create } from 'zustand';
import type { JobRecord } from '../../../../../shared/jobs';
import type { WizardStep } from '../../../../../shared/launch-checks';
import type { AlgorithmId, TaskChoice, TrainTask } from '../../../../../shared/training';
import type { ParamValues } from './param-fields';

/** One model card of step 3. */
export interface ModelDraft {
  /** Stable key of the card (models can repeat, e.g. two forests with different depths). */
  key: number;
  algorithm: AlgorithmId;
  params: ParamValues;
  /** Optional run name ('' = the default, `model · dataset@tag`). */
  runName: string;
}

/** What the wizard's fields hold (numbers as typed). */
export interface WizardForm {
  experimentId: number;
  versionId: number | null;
  target: string;
  task: TaskChoice;
  /** Saved recipe id of the version's dataset, '' for the built-in encoding. */
  recipeId: string;
  /** Columns left out of the features (the target is always left out). */
  excluded: string[];
  models: ModelDraft[];
  /** False until the user edits the models: untouched defaults follow the task (logistic ↔ linear). */
  modelsTouched: boolean;
  /** Test share in percent. */
  testPercent: string;
  stratify: boolean;
  cvFolds: string;
  seed: string;
  /** Register each finished run's model as a version of this model ('' = do not register). */
  registerName: string;
  /** Gate: the headline test metric must reach this ('' = no threshold). */
  registerMinScore: string;
  /** Gate: |test − CV| < 0.1 (needs CV). */
  registerCvGap: boolean;
}

/** What the last launch started (kept while the user leaves the page). */
export interface Launched {
  experimentId: number;
  comparison: string;
  jobs: JobRecord[];
  /** Per job, in order: its model and the run name it gets. */
  models: { algorithm: AlgorithmId; name: string }[];
}

/** A launch the server refused: its message and the step (and field) it concerns. */
export interface ServerError {
  step: WizardStep;
  field: string;
  message: string;
}

let nextKey = 1;
const card = (algorithm: AlgorithmId, params: ParamValues = {}): ModelDraft => ({ key: nextKey++, algorithm, params, runName: '' });

/**
 * The chapter's trio for a task: logistic regression C=1 (linear regression for a numeric
 * target), random forest 100 trees, gradient boosting 100 iterations at learning rate 0.1.
 */
export function defaultModels(task: TrainTask | null): ModelDraft[] {
  return [
    task === 'regression' ? card('linear') : card('logreg', { C: '1' }),
    card('rf', { nEstimators: '100' }),
    card('gbm', { maxIter: '100', learningRate: '0.1' }),
  ];
}

const initialForm = (experimentId = 0): WizardForm => ({
  experimentId,
  versionId: null,
  target: '',
  task: 'auto',
  recipeId: '',
  excluded: [],
  models: defaultModels('classification'),
  modelsTouched: false,
  testPercent: '20',
  stratify: true,
  cvFolds: '0',
  seed: '42',
  registerName: '',
  registerMinScore: '',
  registerCvGap: false,
});

interface WizardState {
  step: number;
  form: WizardForm;
  launched: Launched | null;
  serverError: ServerError | null;
  setStep(step: number): void;
  update(patch: Partial<WizardForm>): void;
  /** Replaces the models (marks them as edited). */
  setModels(models: ModelDraft[]): void;
  addModel(algorithm: AlgorithmId): void;
  setLaunched(launched: Launched | null): void;
  setServerError(error: ServerError | null): void;
  /** A fresh wizard (for an experiment). */
  reset(experimentId?: number): void;
}

/** The New run wizard's state: kept while the user looks at other pages, so a launch in progress stays in view. */
export const useWizard = create<WizardState>((set) => ({
  step: 0,
  form: initialForm(),
  launched: null,
  serverError: null,
  setStep: (step) => set({ step }),
  update: (patch) => set((s) => ({ form: { ...s.form, ...patch }, serverError: null })),
  setModels: (models) => set((s) => ({ form: { ...s.form, models, modelsTouched: true }, serverError: null })),
  addModel: (algorithm) =>
    set((s) => ({ form: { ...s.form, models: [...s.form.models, card(algorithm)], modelsTouched: true }, serverError: null })),
  setLaunched: (launched) => set({ launched }),
  setServerError: (serverError) => set({ serverError }),
  reset: (experimentId = 0) => set({ step: 0, form: initialForm(experimentId), launched: null, serverError: null }),
}));
