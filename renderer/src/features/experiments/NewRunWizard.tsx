import { useEffect, useMemo, useRef, useState } from 'react';
import { AppError } from '../../../../shared/errors';
import { checkLaunch, resolveTask, WIZARD_STEPS, type LaunchDraft, type WizardStep } from '../../../../shared/launch-checks';
import type { RequestOf } from '../../../../shared/ipc';
import { reportError } from '../../app/errors-store';
import { useT } from '../../i18n';
import { api } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { LaunchProgress } from './wizard/launch-progress';
import { paramsFromForm } from './wizard/param-fields';
import { StepDataset, StepModels, StepReview, StepTarget, StepValidation, type StepProps } from './wizard/steps';
import { defaultModels, useWizard, type WizardForm } from './wizard/wizard-store';
import './wizard/wizard.css';

/** The launch request the form describes (what `runs:launch` is sent). */
function launchRequest(form: WizardForm, draft: LaunchDraft): RequestOf<'runs:launch'> {
  return {
    experimentId: form.experimentId,
    settings: {
      versionId: draft.versionId,
      target: draft.target,
      task: draft.task,
      ...(form.excluded.length ? { features: draft.features } : {}),
      ...(form.recipeId ? { recipeId: Number(form.recipeId) } : {}),
      testSize: draft.testSize,
      stratify: draft.stratify,
      cvFolds: draft.cvFolds,
      seed: draft.seed,
    },
    models: draft.models.map((m) => ({ algorithm: m.algorithm, params: m.params, ...(m.runName ? { runName: m.runName } : {}) })),
    ...(form.registerName.trim() ? { register: { name: form.registerName.trim(), gates: registerGates(form, draft) } } : {}),
  };
}

/** The gates the review step's "Register when finished" asks for (on the task's headline metric, which the server picks). */
function registerGates(form: WizardForm, draft: LaunchDraft): NonNullable<RequestOf<'runs:launch'>['register']>['gates'] {
  const min = form.registerMinScore.trim() === '' ? null : Number(form.registerMinScore);
  return {
    ...(min !== null && Number.isFinite(min) ? { metric: { op: '>=' as const, threshold: min } } : {}),
    ...(form.registerCvGap && draft.cvFolds > 0 ? { maxCvGap: 0.1 } : {}),
  };
}

/** Where a server issue path (`settings.testSize`, `models.1.params.nEstimators`) belongs in the wizard. */
function stepOfPath(path: string): { step: WizardStep; field: string } {
  const [head, second, ...rest] = path.split('.');
  if (head === 'models' && second !== undefined) return { step: 'models', field: ['models', second, ...rest].join('.') };
  if (head === 'models') return { step: 'models', field: 'models' };
  if (head === 'settings') {
    if (second === 'versionId') return { step: 'dataset', field: 'versionId' };
    if (second === 'target' || second === 'task' || second === 'features' || second === 'recipeId')
      return { step: 'target', field: second };
    if (second) return { step: 'validation', field: second };
  }
  return { step: 'review', field: '' };
}

/**
 * Experiments → New: five steps (dataset version, target and recipe, one or several models,
 * validation, review) with every pre-launch check of shared/launch-checks.ts shown beside its
 * field; Launch starts one run per model (siblings of one comparison) and follows them.
 */
export default function NewRunWizard({ experimentId }: { experimentId?: number }) {
  const t = useT();
  const { step, form, launched, serverError, setStep, update, setLaunched, setServerError, reset } = useWizard();
  const sources = useQuery('training:sources', {}, ['datasets']);
  const [busy, setBusy] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  // A route naming another experiment starts a wizard for it.
  useEffect(() => {
    if (experimentId !== undefined && experimentId !== form.experimentId && !launched) update({ experimentId });
  }, [experimentId, form.experimentId, launched, update]);

  const list = useMemo(() => sources.data ?? [], [sources.data]);
  const version = list.find((s) => s.versionId === form.versionId) ?? null;
  // A fresh wizard (or a version that is gone) starts on the newest version, its last column as the target.
  useEffect(() => {
    if (!version && list.length)
      update({ versionId: list[0].versionId, target: list[0].columns.at(-1)?.name ?? '', excluded: [], recipeId: '' });
  }, [version, list, update]);

  const recipesQuery = useQuery('recipes:list', { datasetId: version?.datasetId ?? 0 }, ['recipes'], { enabled: !!version });
  // A query keeps its previous data while refetching: never offer another dataset's recipes.
  const recipes = (recipesQuery.data ?? []).filter((r) => r.datasetId === version?.datasetId);
  const recipe = recipes.find((r) => String(r.id) === form.recipeId) ?? null;

  const task = resolveTask(form, version);
  // Untouched default models follow the task (logistic regression ↔ linear regression).
  useEffect(() => {
    if (!form.modelsTouched && task && form.models.some((m) => m.algorithm === (task === 'regression' ? 'logreg' : 'linear')))
      useWizard.setState((s) => ({ form: { ...s.form, models: defaultModels(task) } }));
  }, [task, form.modelsTouched, form.models]);

  const featureCols = version?.columns.filter((c) => c.name !== form.target) ?? [];
  const draft: LaunchDraft = {
    versionId: version?.versionId ?? null,
    target: form.target,
    task: form.task,
    features: featureCols.filter((c) => c.type !== 'text' && !form.excluded.includes(c.name)).map((c) => c.name),
    recipe: recipe ? { target: recipe.recipe.spec.target ?? null, drop: recipe.recipe.spec.drop } : null,
    testSize: form.testPercent.trim() === '' ? Number.NaN : Number(form.testPercent) / 100,
    stratify: form.stratify && task !== 'regression',
    cvFolds: form.cvFolds.trim() === '' ? Number.NaN : Number(form.cvFolds),
    seed: form.seed.trim() === '' ? Number.NaN : Number(form.seed),
    models: form.models.map((m) => ({
      algorithm: m.algorithm,
      params: paramsFromForm(m.algorithm, task, m.params),
      runName: m.runName.trim() || undefined,
    })),
  };
  const problems = checkLaunch(draft, version);
  const stepName = WIZARD_STEPS[step];
  const blocking = (upTo: number) => problems.filter((p) => WIZARD_STEPS.indexOf(p.step) <= upTo);
  const here = blocking(step);
  const firstBlocked = problems.length ? Math.min(...problems.map((p) => WIZARD_STEPS.indexOf(p.step))) : WIZARD_STEPS.length - 1;
  const reachable = (i: number) => i <= Math.max(step, firstBlocked);

  useEffect(() => {
    headingRef.current?.focus();
  }, [step]);

  const go = (i: number) => {
    if (i < 0 || i >= WIZARD_STEPS.length) return;
    if (i > step && blocking(step).length) return;
    setStep(i);
  };

  const launch = async () => {
    if (problems.length || !version) return;
    setBusy(true);
    setServerError(null);
    try {
      const res = await api.call('runs:launch', launchRequest(form, draft));
      setLaunched({
        experimentId: form.experimentId,
        comparison: res.comparison,
        jobs: res.jobs,
        models: draft.models.map((m) => ({ algorithm: m.algorithm, name: m.runName ?? `${m.algorithm} · ${version.label}` })),
      });
    } catch (err) {
      // The server re-checks everything: its answer comes back to the step and field it concerns.
      const issues = err instanceof AppError && Array.isArray(err.details) ? (err.details as { path: string; message: string }[]) : [];
      const where = issues.length ? stepOfPath(issues[0].path) : { step: 'review' as const, field: '' };
      const message = err instanceof Error ? err.message : String(err);
      setServerError({ ...where, message });
      setStep(WIZARD_STEPS.indexOf(where.step));
      reportError(err);
    } finally {
      setBusy(false);
    }
  };

  if (launched) {
    return (
      <div className="page wiz">
        <p>
          <a href={`#/experiments/exp/${launched.experimentId}`}>{t('wizard.back')}</a>
        </p>
        <LaunchProgress
          launched={launched}
          onAgain={() => {
            setLaunched(null);
            setStep(WIZARD_STEPS.indexOf('models'));
          }}
          onNew={() => reset(form.experimentId)}
        />
      </div>
    );
  }

  const props: StepProps = {
    form,
    update,
    sources: list,
    sourcesLoaded: !!sources.data,
    version,
    task,
    recipes,
    recipe,
    problems,
    serverError: serverError && serverError.step === stepName ? serverError : null,
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    // Alt+→ / Alt+← move between steps from anywhere in the wizard.
    if (e.altKey && e.key === 'ArrowRight') {
      e.preventDefault();
      go(step + 1);
    } else if (e.altKey && e.key === 'ArrowLeft') {
      e.preventDefault();
      go(step - 1);
    }
  };

  return (
    <div className="page wiz" onKeyDown={onKeyDown}>
      <p>
        <a href={`#/experiments/exp/${form.experimentId}`}>{t('wizard.back')}</a>
      </p>
      <h1>{t('wizard.title')}</h1>
      <nav aria-label={t('wizard.steps')}>
        <ol className="wiz-steps">
          {WIZARD_STEPS.map((s, i) => {
            const bad = problems.some((p) => p.step === s) && i <= Math.max(step, firstBlocked);
            return (
              <li
                key={s}
                className={`wiz-steps__item${i === step ? ' wiz-steps__item--on' : ''}${i < step ? ' wiz-steps__item--done' : ''}${bad ? ' wiz-steps__item--bad' : ''}`}
              >
                <button type="button" aria-current={i === step ? 'step' : undefined} disabled={!reachable(i)} onClick={() => setStep(i)}>
                  <span className="wiz-steps__n">{i + 1}</span>
                  {t(`wizard.step.${s}`)}
                </button>
              </li>
            );
          })}
        </ol>
      </nav>
      <section className="card wiz-panel" aria-labelledby="wiz-step-heading">
        <h2 id="wiz-step-heading" ref={headingRef} tabIndex={-1}>
          {t('wizard.stepHeading', { n: step + 1, total: WIZARD_STEPS.length, name: t(`wizard.step.${stepName}`) })}
        </h2>
        {stepName === 'dataset' && <StepDataset {...props} />}
        {stepName === 'target' && <StepTarget {...props} />}
        {stepName === 'models' && <StepModels {...props} />}
        {stepName === 'validation' && <StepValidation {...props} />}
        {stepName === 'review' && <StepReview {...props} draft={draft} />}
        <div className="wiz-nav">
          <button type="button" className="btn" onClick={() => go(step - 1)} disabled={step === 0}>
            {t('wizard.backStep')}
          </button>
          {stepName !== 'review' ? (
            <button type="button" className="btn btn--primary" onClick={() => go(step + 1)} disabled={here.length > 0 || !version}>
              {t('wizard.next')}
            </button>
          ) : (
            <button type="button" className="btn btn--primary" onClick={launch} disabled={problems.length > 0 || busy}>
              {busy ? t('wizard.launching') : t('wizard.launch', { count: form.models.length })}
            </button>
          )}
          <span className="muted wiz-nav__hint" data-testid="wizard-blocked">
            {here.length > 0 ? t('wizard.blocked', { count: here.length }) : stepName !== 'review' ? t('wizard.keys') : ''}
          </span>
        </div>
      </section>
    </div>
  );
}
