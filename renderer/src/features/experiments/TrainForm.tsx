import { useEffect, useState } from 'react';
import type { RequestOf } from '../../../../shared/ipc';
import { ALGORITHM_IDS, ALGORITHM_TASKS, type TrainableVersion, type TrainTask } from '../../../../shared/training';
import { reportError } from '../../app/errors-store';
import { useRouter } from '../../app/router';
import { useT } from '../../i18n';
import { api } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { fieldApplies, PARAM_FIELDS, paramsFromForm, useExperiments, type ParamField } from './experiments-store';

const CV_CHOICES = ['0', '2', '3', '5', '10'];

/**
 * The train form: dataset version → target (its type and the task it implies)
 * → model and its main hyper-parameters → features → split, CV and seed → Train.
 * Starting opens the run, which follows the job's progress.
 */
export function TrainForm({ sources }: { sources: TrainableVersion[] }) {
  const t = useT();
  const navigate = useRouter((s) => s.navigate);
  const { form, update, setParam } = useExperiments();
  const [busy, setBusy] = useState(false);
  const version = sources.find((s) => s.versionId === form.versionId) ?? null;
  const targetCol = version?.columns.find((c) => c.name === form.target) ?? null;
  const detected = targetCol?.detectedTask ?? null;
  const task: TrainTask | null = form.task === 'auto' ? detected : form.task;
  // Recipes are saved per dataset (Data page → Recipe); only the chosen version's dataset's are offered.
  const recipeQuery = useQuery('recipes:list', { datasetId: version?.datasetId ?? 0 }, ['recipes']);
  // A query keeps its previous data while refetching: never offer another dataset's recipes.
  const recipes = (recipeQuery.data ?? []).filter((r) => r.datasetId === version?.datasetId);
  const recipe = recipes.find((r) => String(r.id) === form.recipeId) ?? null;
  const recipeProblem = !recipe
    ? null
    : recipe.recipe.spec.drop.includes(form.target)
      ? t('exp.form.recipeDropsTarget', { target: form.target })
      : recipe.recipe.spec.target !== form.target
        ? t('exp.form.recipeOtherTarget', { target: form.target, recipeTarget: recipe.recipe.spec.target ?? '—' })
        : null;

  // A fresh form (or a version that is gone) starts on the newest version, its last column as the target.
  useEffect(() => {
    if (!version && sources.length)
      update({ versionId: sources[0].versionId, target: sources[0].columns.at(-1)?.name ?? '', excluded: [] });
  }, [version, sources, update]);
  useEffect(() => {
    if (version && form.pendingFeatures) {
      const keep = new Set(form.pendingFeatures);
      update({
        excluded: version.columns.filter((c) => !keep.has(c.name) && c.name !== form.target).map((c) => c.name),
        pendingFeatures: null,
      });
    }
  }, [version, form.pendingFeatures, form.target, update]);
  // A model that cannot do the task gives way to a random forest.
  useEffect(() => {
    if (task && !ALGORITHM_TASKS[form.algorithm].includes(task)) update({ algorithm: 'rf' });
  }, [task, form.algorithm, update]);

  const featureCols = version?.columns.filter((c) => c.name !== form.target) ?? [];
  const used = featureCols.filter((c) => !form.excluded.includes(c.name) && c.type !== 'text');
  const fields = PARAM_FIELDS[form.algorithm].filter((f) => fieldApplies(f, form.algorithm, task));
  const canTrain = !!version && !!targetCol && !!task && used.length > 0 && !recipeProblem && !busy;

  const train = async () => {
    if (!version || !targetCol) return;
    setBusy(true);
    try {
      const request = {
        versionId: version.versionId,
        target: form.target,
        task: form.task,
        algorithm: form.algorithm,
        params: paramsFromForm(form.algorithm, task, form.params[form.algorithm]),
        features: form.excluded.length ? featureCols.filter((c) => !form.excluded.includes(c.name)).map((c) => c.name) : undefined,
        testSize: Number(form.testPercent) / 100,
        stratify: form.stratify,
        cvFolds: Number(form.cvFolds),
        seed: Number(form.seed),
        recipeId: recipe ? recipe.id : undefined,
      } as RequestOf<'training:start'>;
      const job = await api.call('training:start', request);
      navigate('experiments', 'run', job.id);
    } catch (err) {
      reportError(err);
    } finally {
      setBusy(false);
    }
  };

  const toggleFeature = (name: string, on: boolean) =>
    update({ excluded: on ? form.excluded.filter((x) => x !== name) : [...form.excluded, name] });

  const taskNote = !targetCol
    ? ''
    : detected
      ? t('exp.form.detected', { type: t(`exp.type.${targetCol.type}`), distinct: targetCol.distinct, task: t(`exp.task.${detected}`) })
      : t('exp.form.notTarget', { type: t(`exp.type.${targetCol.type}`) });

  return (
    <section className="card exp-form" aria-label={t('exp.form.title')}>
      <h2>{t('exp.form.title')}</h2>
      <fieldset className="exp-step">
        <legend>{t('exp.form.step.data')}</legend>
        <div className="form-row">
          <label>
            {t('exp.form.version')}
            <select
              aria-label={t('exp.form.version')}
              value={form.versionId ?? ''}
              onChange={(e) => {
                const v = sources.find((s) => s.versionId === Number(e.target.value));
                update({
                  versionId: Number(e.target.value),
                  target: v?.columns.find((c) => c.name === form.target) ? form.target : (v?.columns.at(-1)?.name ?? ''),
                  excluded: [],
                  recipeId: v?.datasetId === version?.datasetId ? form.recipeId : '',
                });
              }}
            >
              {sources.map((s) => (
                <option key={s.versionId} value={s.versionId}>
                  {t('exp.form.versionOption', { label: s.label, rows: s.rows, columns: s.columns.length })}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('exp.form.target')}
            <select
              aria-label={t('exp.form.target')}
              value={form.target}
              onChange={(e) => update({ target: e.target.value, excluded: form.excluded.filter((x) => x !== e.target.value) })}
            >
              {version?.columns.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name} ({t(`exp.type.${c.type}`)})
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('exp.form.task')}
            <select
              aria-label={t('exp.form.task')}
              value={form.task}
              onChange={(e) => update({ task: e.target.value as typeof form.task })}
            >
              <option value="auto">
                {detected ? t('exp.form.taskAuto', { task: t(`exp.task.${detected}`) }) : t('exp.form.taskAutoNone')}
              </option>
              <option value="classification">{t('exp.task.classification')}</option>
              <option value="regression">{t('exp.task.regression')}</option>
            </select>
          </label>
        </div>
        {targetCol && (
          <p className={`exp-note${task ? '' : ' exp-note--warn'}`} data-testid="task-note">
            {taskNote}
          </p>
        )}
        <div className="form-row">
          <label>
            {t('exp.form.recipe')}
            <select
              aria-label={t('exp.form.recipe')}
              value={recipe ? form.recipeId : ''}
              onChange={(e) => update({ recipeId: e.target.value })}
            >
              <option value="">{t('exp.form.recipeNone')}</option>
              {recipes.map((r) => (
                <option key={r.id} value={String(r.id)}>
                  {t('exp.form.recipeOption', { name: r.name, id: r.id, target: r.recipe.spec.target ?? '—' })}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p className={`exp-note${recipeProblem ? ' exp-note--warn' : ''}`} data-testid="recipe-note">
          {recipeProblem ?? (recipe ? t('exp.form.recipeHelp') : recipes.length ? t('exp.form.recipeNoneHelp') : t('exp.form.recipeEmpty'))}
        </p>
      </fieldset>

      <fieldset className="exp-step">
        <legend>{t('exp.form.step.model')}</legend>
        <div className="segmented exp-models" role="radiogroup" aria-label={t('exp.form.model')}>
          {ALGORITHM_IDS.map((a) => {
            const ok = !task || ALGORITHM_TASKS[a].includes(task);
            return (
              <label
                key={a}
                className={`segmented__item${form.algorithm === a ? ' segmented__item--on' : ''}${ok ? '' : ' segmented__item--off'}`}
                title={ok ? undefined : t('exp.form.modelNotFor', { task: t(`exp.task.${task}`) })}
              >
                <input
                  type="radio"
                  name="algorithm"
                  value={a}
                  checked={form.algorithm === a}
                  disabled={!ok}
                  onChange={() => update({ algorithm: a })}
                />
                {t(`exp.algo.${a}`)}
              </label>
            );
          })}
        </div>
        <div className="exp-params">
          {fields
            .filter((f) => !f.advanced)
            .map((f) => (
              <ParamInput
                key={f.key}
                field={f}
                task={task}
                value={form.params[form.algorithm][f.key]}
                onChange={(v) => setParam(form.algorithm, f.key, v)}
              />
            ))}
        </div>
        {fields.some((f) => f.advanced) && (
          <details className="exp-more">
            <summary>{t('exp.form.moreParams')}</summary>
            <div className="exp-params">
              {fields
                .filter((f) => f.advanced)
                .map((f) => (
                  <ParamInput
                    key={f.key}
                    field={f}
                    task={task}
                    value={form.params[form.algorithm][f.key]}
                    onChange={(v) => setParam(form.algorithm, f.key, v)}
                  />
                ))}
            </div>
          </details>
        )}
      </fieldset>

      <fieldset className="exp-step">
        <legend>{t('exp.form.step.features')}</legend>
        <details className="exp-more">
          <summary>{t('exp.form.featuresSummary', { used: used.length, total: featureCols.length })}</summary>
          <div className="exp-features">
            {featureCols.map((c) => (
              <label key={c.name} className="exp-check">
                <input
                  type="checkbox"
                  checked={c.type !== 'text' && !form.excluded.includes(c.name)}
                  disabled={c.type === 'text'}
                  onChange={(e) => toggleFeature(c.name, e.target.checked)}
                />
                <span>{c.name}</span>
                <span className="muted">{c.type === 'text' ? t('exp.form.textUnused') : t(`exp.type.${c.type}`)}</span>
              </label>
            ))}
          </div>
        </details>
      </fieldset>

      <fieldset className="exp-step">
        <legend>{t('exp.form.step.evaluation')}</legend>
        <div className="form-row">
          <label>
            {t('exp.form.testShare')}
            <input
              aria-label={t('exp.form.testShare')}
              type="number"
              min={0}
              max={90}
              step={5}
              value={form.testPercent}
              onChange={(e) => update({ testPercent: e.target.value })}
              className="exp-narrow"
            />
          </label>
          <label className="exp-check exp-check--inline">
            <input
              type="checkbox"
              checked={form.stratify && task !== 'regression'}
              disabled={task === 'regression'}
              onChange={(e) => update({ stratify: e.target.checked })}
            />
            <span>{t('exp.form.stratified')}</span>
          </label>
          <label>
            {t('exp.form.cv')}
            <select aria-label={t('exp.form.cv')} value={form.cvFolds} onChange={(e) => update({ cvFolds: e.target.value })}>
              {CV_CHOICES.map((k) => (
                <option key={k} value={k}>
                  {k === '0' ? t('exp.form.cvNone') : t('exp.form.cvFolds', { k: Number(k) })}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('exp.form.seed')}
            <input
              aria-label={t('exp.form.seed')}
              type="number"
              min={0}
              step={1}
              value={form.seed}
              onChange={(e) => update({ seed: e.target.value })}
              className="exp-narrow"
            />
          </label>
        </div>
      </fieldset>
      <div className="exp-actions">
        <button type="button" className="btn btn--primary" disabled={!canTrain} onClick={train}>
          {busy ? t('exp.form.starting') : t('exp.form.train')}
        </button>
        <span className="muted">
          {version && targetCol && task
            ? t('exp.form.summary', {
                model: t(`exp.algo.${form.algorithm}`),
                label: version.label,
                target: form.target,
                task: t(`exp.task.${task}`),
              })
            : ''}
        </span>
      </div>
    </section>
  );
}

function ParamInput({
  field,
  task,
  value,
  onChange,
}: {
  field: ParamField;
  task: TrainTask | null;
  value: string | boolean | undefined;
  onChange(v: string | boolean): void;
}) {
  const t = useT();
  const label = t(`exp.param.${field.key}`);
  const v = value ?? field.def;
  if (field.kind === 'bool') {
    return (
      <label className="exp-check exp-check--inline" title={field.key}>
        <input type="checkbox" checked={v === true} onChange={(e) => onChange(e.target.checked)} />
        <span>{label}</span>
      </label>
    );
  }
  if (field.kind === 'select') {
    return (
      <label title={field.key}>
        {label}
        <select aria-label={label} value={String(v)} onChange={(e) => onChange(e.target.value)}>
          {field.options!.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
    );
  }
  if (field.kind === 'maxFeatures') {
    return (
      <label title={field.key}>
        {label}
        <input
          aria-label={label}
          list="exp-max-features"
          value={String(v)}
          placeholder={t('exp.param.maxFeaturesDefault', { value: task === 'regression' ? 'all' : 'sqrt' })}
          onChange={(e) => onChange(e.target.value)}
          className="exp-mid"
        />
        <datalist id="exp-max-features">
          <option value="sqrt" />
          <option value="log2" />
          <option value="all" />
          <option value="0.5" />
        </datalist>
      </label>
    );
  }
  return (
    <label title={field.key}>
      {label}
      <input
        aria-label={label}
        type="number"
        min={field.min}
        max={field.max}
        step={field.step ?? 1}
        value={String(v)}
        placeholder={field.kind === 'optionalInt' ? t('exp.param.none') : undefined}
        onChange={(e) => onChange(e.target.value)}
        className="exp-mid"
      />
    </label>
  );
}
