import { useEffect, useState } from 'react';
import { AppError } from '../../../../shared/errors';
import { PIPELINE_LIMITS } from '../../../../shared/pipelines';
import { detectTask, type TrainTask } from '../../../../shared/training';
import { useRouter } from '../../app/router';
import { useT } from '../../i18n';
import { api } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import {
  definitionFromForm,
  emptyForm,
  fieldErrors,
  formFromDefinition,
  WIZARD_STEPS,
  type FieldError,
  type PipelineForm,
} from './pipeline-format';
import { StepModels, StepRegistration, StepReview, StepSource, StepTraining, StepTriggers, type WizardContext } from './wizard-steps';

/**
 * `#/pipelines/new` and `#/pipelines/edit/NAME`: the short wizard that defines
 * a pipeline — data source, validation and training settings, candidate
 * models, registration gates and stage, triggers — and saves it (an edit is
 * the pipeline's next version; its old runs keep the definition they used).
 * The server judges every rule; its refusals are shown beside their fields.
 */
export default function PipelineWizard({ editing }: { editing?: string }) {
  const t = useT();
  const navigate = useRouter((s) => s.navigate);
  const existing = useQuery('pipelines:get', { name: editing ?? '' }, [], { enabled: editing !== undefined });
  const [form, setForm] = useState<PipelineForm>(() => emptyForm());
  const [loaded, setLoaded] = useState(editing === undefined);
  const [step, setStep] = useState(0);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [saving, setSaving] = useState(false);
  // A new pipeline's triggers are on once saved unless the user says otherwise; an edit keeps the pipeline's own switch.
  const [enable, setEnable] = useState(editing === undefined);
  useEffect(() => {
    if (!loaded && existing.data) {
      setForm(formFromDefinition(existing.data.definition));
      setLoaded(true);
    }
  }, [existing.data, loaded]);

  const datasets = useQuery('datasets:list', {}, ['datasets']);
  const sources = useQuery('training:sources', {}, ['datasets']);
  const datasetName = form.sourceKind === 'dataset' ? form.dataset : form.watchDataset;
  const dataset = (datasets.data ?? []).find((d) => d.name === datasetName.trim()) ?? null;
  const newestId = dataset?.versions[0]?.id;
  const version =
    (sources.data ?? []).find((s) => s.versionId === newestId) ??
    (sources.data ?? []).filter((s) => s.datasetName === datasetName.trim()).sort((a, b) => b.versionId - a.versionId)[0] ??
    null;
  const column = version?.columns.find((c) => c.name === form.target) ?? null;
  const task: TrainTask | null = form.task !== 'auto' ? form.task : column ? (column.detectedTask ?? detectTask(column)) : null;

  const update = (patch: Partial<PipelineForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    // A field the user changes is no longer the one the server refused.
    const touched = Object.keys(patch);
    setErrors((es) => (touched.length ? es.filter((e) => !touchedFields(touched).some((k) => e.field === k || e.field.startsWith(`${k}.`))) : es));
  };
  const ctx: WizardContext = { form, update, dataset, version, task, errors, editing: editing !== undefined };

  const save = async () => {
    setSaving(true);
    try {
      let saved = await api.call('pipelines:save', { definition: definitionFromForm(form, task) as never });
      if (enable && !saved.enabled) saved = await api.call('pipelines:setEnabled', { name: saved.name, enabled: true });
      setErrors([]);
      navigate('pipelines', 'p', saved.name);
    } catch (err) {
      const list = fieldErrors(err instanceof AppError ? err : { message: (err as Error).message });
      setErrors(list);
    } finally {
      setSaving(false);
    }
  };

  if (editing !== undefined && existing.error) {
    return (
      <div className="page pl-page">
        <p>
          <a href="#/pipelines">← {t('pl.title')}</a>
        </p>
        <p className="pl-error" role="alert">
          {existing.error.message}
        </p>
      </div>
    );
  }
  if (!loaded) return <div className="page muted">{t('pl.loading')}</div>;

  const current = WIZARD_STEPS[step];
  const Step = { source: StepSource, training: StepTraining, models: StepModels, registration: StepRegistration, triggers: StepTriggers, review: StepReview }[
    current
  ];
  const last = step === WIZARD_STEPS.length - 1;
  return (
    <div className="page pl-page pl-wizard">
      <p>
        <a href={editing ? `#/pipelines/p/${encodeURIComponent(editing)}` : '#/pipelines'}>
          ← {editing ? editing : t('pl.title')}
        </a>
      </p>
      <h1>{editing ? t('pl.wiz.editTitle', { name: editing, version: (existing.data?.version ?? 0) + 1 }) : t('pl.wiz.title')}</h1>
      <ol className="pl-steps" aria-label={t('pl.wiz.steps')}>
        {WIZARD_STEPS.map((s, i) => {
          const bad = errors.some((e) => e.step === s);
          return (
            <li key={s} className={`pl-steps__item${i === step ? ' pl-steps__item--on' : ''}${bad ? ' pl-steps__item--bad' : ''}`}>
              <button type="button" onClick={() => setStep(i)} aria-current={i === step ? 'step' : undefined}>
                <span className="pl-steps__n">{i + 1}</span>
                {t(`pl.wiz.step.${s}`)}
              </button>
            </li>
          );
        })}
      </ol>
      <form
        className="card pl-wizard__panel"
        noValidate
        aria-label={t(`pl.wiz.step.${current}`)}
        onSubmit={(e) => {
          e.preventDefault();
          if (last) void save();
          else setStep(step + 1);
        }}
      >
        <h2>{t(`pl.wiz.step.${current}`)}</h2>
        <p className="muted pl-help">{t(`pl.wiz.help.${current}`)}</p>
        <Step {...ctx} goTo={(s) => setStep(WIZARD_STEPS.indexOf(s))} />
        {last && editing === undefined && (
          <label className="pl-check">
            <input type="checkbox" checked={enable} onChange={(e) => setEnable(e.target.checked)} />
            <span>{t('pl.wiz.enable')}</span>
          </label>
        )}
        <div className="pl-wizard__nav">
          <button type="button" className="btn" disabled={step === 0} onClick={() => setStep(step - 1)}>
            {t('pl.wiz.back')}
          </button>
          {last ? (
            <button type="submit" className="btn btn--primary" disabled={saving}>
              {saving ? t('pl.wiz.saving') : editing ? t('pl.wiz.saveVersion') : t('pl.wiz.save')}
            </button>
          ) : (
            <button type="submit" className="btn btn--primary">
              {t('pl.wiz.next')}
            </button>
          )}
        </div>
      </form>
      <p className="muted pl-help">{t('pl.wiz.limits', { models: PIPELINE_LIMITS.maxModels })}</p>
    </div>
  );
}

/** The definition fields a form key feeds (so a change clears the server's complaint about them). */
function touchedFields(keys: string[]): string[] {
  const map: Record<string, string[]> = {
    name: ['name'],
    description: ['description'],
    sourceKind: ['source'],
    dataset: ['source'],
    watchPath: ['source'],
    watchDataset: ['source'],
    suite: ['validationSuite'],
    recipe: ['recipe'],
    target: ['training.target'],
    task: ['training.task'],
    testPercent: ['training.testSize'],
    cvFolds: ['training.cvFolds'],
    seed: ['training.seed'],
    models: ['models'],
    selectMetric: ['selectBy'],
    model: ['model'],
    metricOn: ['gates'],
    metric: ['gates'],
    op: ['gates'],
    threshold: ['gates'],
    cvGapOn: ['gates'],
    cvGap: ['gates'],
    beatProduction: ['gates'],
    stage: ['stage'],
    toProduction: ['promotion'],
    rollbackIfWorse: ['promotion'],
    scheduleKind: ['triggers'],
    at: ['triggers'],
    day: ['triggers'],
    every: ['triggers'],
    cron: ['triggers'],
    timezone: ['timezone', 'triggers.schedule'],
    onNewData: ['triggers.onNewData'],
    onDrift: ['triggers.onDrift'],
  };
  return keys.flatMap((k) => map[k] ?? []).concat('');
}
