import type { DatasetSummary } from '../../../../shared/contracts/datasets';
import { PIPELINE_LIMITS, WEEKDAYS } from '../../../../shared/pipelines';
import { GATE_OPERATORS, type GateOperator } from '../../../../shared/registry';
import { defaultBetter } from '../../../../shared/run-comparison';
import { ALGORITHM_IDS, ALGORITHM_TASKS, type AlgorithmId, type TrainableVersion, type TrainTask } from '../../../../shared/training';
import { reportError } from '../../app/errors-store';
import { useT } from '../../i18n';
import { api } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { fieldApplies, PARAM_FIELDS, type ParamField } from '../experiments/wizard/param-fields';
import { errorsOf, newModel, triggerTexts, definitionFromForm, type FieldError, type PipelineForm, type WizardStep } from './pipeline-format';
import { SourceText } from './pipeline-ui';

export interface WizardContext {
  form: PipelineForm;
  update(patch: Partial<PipelineForm>): void;
  /** The source's dataset, when it exists in the workspace. */
  dataset: DatasetSummary | null;
  /** Its newest version (columns for the target). */
  version: TrainableVersion | null;
  task: TrainTask | null;
  errors: FieldError[];
  editing: boolean;
}
type StepProps = WizardContext & { goTo(step: WizardStep): void };

const CLASSIFICATION_METRICS = ['accuracy', 'f1_macro', 'f1_weighted', 'precision_macro', 'recall_macro', 'roc_auc', 'log_loss'];
const REGRESSION_METRICS = ['r2', 'rmse', 'mae'];
const metricsFor = (task: TrainTask | null) =>
  task === 'regression' ? REGRESSION_METRICS : task === 'classification' ? CLASSIFICATION_METRICS : [...CLASSIFICATION_METRICS, ...REGRESSION_METRICS];

/** The server's complaints about a field (and the fields under it), right under it. */
function Problems({ errors, field, exact }: { errors: readonly FieldError[]; field: string; exact?: boolean }) {
  const mine = exact ? errors.filter((e) => e.field === field) : errorsOf(errors, field);
  if (!mine.length) return null;
  return (
    <div className="pl-problems" data-field={field}>
      {mine.map((e, i) => (
        <p key={i} className="pl-problem" role="alert" data-field={e.field}>
          {e.field && !exact && e.field !== field ? `${e.field.slice(field.length + 1)}: ` : ''}
          {e.message}
        </p>
      ))}
    </div>
  );
}

/** Step 1: the name and the data source (a dataset of the workspace, or a watched CSV imported into a dataset). */
export function StepSource({ form, update, errors, editing }: StepProps) {
  const t = useT();
  const datasets = useQuery('datasets:list', {}, ['datasets']);
  const list = datasets.data ?? [];
  const importSample = () => api.call('datasets:importSample', {}).catch(reportError);
  // In the desktop app a picked file has its real path; the browser host only uploads a copy, so there the path is typed.
  const canPick = api.shell === 'electron';
  return (
    <>
      <div className="form-row">
        <label className="pl-wide">
          {t('pl.wiz.name')}
          <input
            aria-label={t('pl.wiz.name')}
            value={form.name}
            onChange={(e) => update({ name: e.target.value })}
            maxLength={PIPELINE_LIMITS.maxNameLength}
            disabled={editing}
            placeholder="churn-daily"
            aria-invalid={errorsOf(errors, 'name').length > 0 || undefined}
          />
        </label>
      </div>
      {editing && <p className="muted pl-help">{t('pl.wiz.nameFixed')}</p>}
      <Problems errors={errors} field="name" />
      <div className="form-row">
        <label className="pl-wide">
          {t('pl.wiz.description')}
          <input value={form.description} onChange={(e) => update({ description: e.target.value })} maxLength={PIPELINE_LIMITS.maxDescriptionLength} />
        </label>
      </div>
      <Problems errors={errors} field="description" />
      <fieldset className="pl-fieldset">
        <legend>{t('pl.wiz.source')}</legend>
        <label className="pl-check">
          <input type="radio" name="source" checked={form.sourceKind === 'dataset'} onChange={() => update({ sourceKind: 'dataset' })} />
          <span>{t('pl.wiz.sourceDataset')}</span>
        </label>
        {form.sourceKind === 'dataset' && (
          <div className="pl-indent">
            {datasets.data && list.length === 0 ? (
              <p className="muted">
                {t('pl.wiz.noDatasets')}{' '}
                <button type="button" className="btn btn--small" onClick={() => void importSample()}>
                  {t('pl.wiz.importSample')}
                </button>{' '}
                <a href="#/data/import">{t('pl.wiz.importData')}</a>
              </p>
            ) : (
              <label>
                {t('pl.wiz.dataset')}
                <select aria-label={t('pl.wiz.dataset')} value={form.dataset} onChange={(e) => update({ dataset: e.target.value, target: '', suite: '', recipe: '' })}>
                  <option value="">{t('pl.wiz.choose')}</option>
                  {list.map((d) => (
                    <option key={d.id} value={d.name}>
                      {d.name} ({t('pl.wiz.versions', { n: d.versions.length })})
                    </option>
                  ))}
                  {form.dataset && !list.some((d) => d.name === form.dataset) && <option value={form.dataset}>{form.dataset}</option>}
                </select>
              </label>
            )}
            <p className="muted pl-help">{t('pl.wiz.sourceDatasetHelp')}</p>
          </div>
        )}
        <label className="pl-check">
          <input type="radio" name="source" checked={form.sourceKind === 'watch'} onChange={() => update({ sourceKind: 'watch' })} />
          <span>{t('pl.wiz.sourceWatch')}</span>
        </label>
        {form.sourceKind === 'watch' && (
          <div className="pl-indent">
            <div className="form-row">
              <label className="pl-wide">
                {t('pl.wiz.watchPath')}
                <input aria-label={t('pl.wiz.watchPath')} value={form.watchPath} onChange={(e) => update({ watchPath: e.target.value })} placeholder="/data/incoming/churn.csv" />
              </label>
              {canPick && (
                <label className="btn pl-pick">
                  {t('pl.wiz.pick')}
                  <input
                    type="file"
                    accept=".csv,.tsv,.txt,text/csv"
                    hidden
                    onChange={async (e) => {
                      const f = e.target.files?.[0];
                      if (f) update({ watchPath: await api.stageFile(f) });
                    }}
                  />
                </label>
              )}
              <label>
                {t('pl.wiz.watchDataset')}
                <input
                  aria-label={t('pl.wiz.watchDataset')}
                  list="pl-dataset-names"
                  value={form.watchDataset}
                  onChange={(e) => update({ watchDataset: e.target.value, target: '', suite: '', recipe: '' })}
                />
                <datalist id="pl-dataset-names">
                  {list.map((d) => (
                    <option key={d.id} value={d.name} />
                  ))}
                </datalist>
              </label>
            </div>
            <p className="muted pl-help">{t('pl.wiz.sourceWatchHelp')}</p>
          </div>
        )}
      </fieldset>
      <Problems errors={errors} field="source" />
    </>
  );
}

/** Step 2: the suite that must pass, the recipe, the target and how the model is tested. */
export function StepTraining({ form, update, dataset, version, task, errors }: StepProps) {
  const t = useT();
  const suites = useQuery('validation:listSuites', { datasetId: dataset?.id ?? 0 }, ['validation'], { enabled: !!dataset });
  const recipes = useQuery('recipes:list', { datasetId: dataset?.id ?? 0 }, ['recipes'], { enabled: !!dataset });
  const column = version?.columns.find((c) => c.name === form.target) ?? null;
  return (
    <>
      {!dataset && <p className="muted pl-help">{t('pl.wiz.noDatasetYet')}</p>}
      <div className="form-row">
        <label>
          {t('pl.wiz.suite')}
          <select aria-label={t('pl.wiz.suite')} value={form.suite} onChange={(e) => update({ suite: e.target.value })} disabled={!dataset && !form.suite}>
            <option value="">{t('pl.wiz.suiteNone')}</option>
            {(suites.data ?? []).map((s) => (
              <option key={s.id} value={s.name}>
                {t('pl.wiz.suiteOption', { name: s.name, n: s.rules.length })}
              </option>
            ))}
            {form.suite && !suites.data?.some((s) => s.name === form.suite) && <option value={form.suite}>{form.suite}</option>}
          </select>
        </label>
        <label>
          {t('pl.wiz.recipe')}
          <select aria-label={t('pl.wiz.recipe')} value={form.recipe} onChange={(e) => update({ recipe: e.target.value })} disabled={!dataset && !form.recipe}>
            <option value="">{t('pl.wiz.recipeNone')}</option>
            {(recipes.data ?? []).map((r) => (
              <option key={r.id} value={r.name}>
                {r.name}
              </option>
            ))}
            {form.recipe && !recipes.data?.some((r) => r.name === form.recipe) && <option value={form.recipe}>{form.recipe}</option>}
          </select>
        </label>
      </div>
      <Problems errors={errors} field="validationSuite" />
      <Problems errors={errors} field="recipe" />
      <div className="form-row">
        {version ? (
          <label>
            {t('pl.wiz.target')}
            <select aria-label={t('pl.wiz.target')} value={form.target} onChange={(e) => update({ target: e.target.value })}>
              <option value="">{t('pl.wiz.choose')}</option>
              {version.columns.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name} ({t(`exp.type.${c.type}`)})
                </option>
              ))}
              {form.target && !column && <option value={form.target}>{form.target}</option>}
            </select>
          </label>
        ) : (
          <label>
            {t('pl.wiz.target')}
            <input aria-label={t('pl.wiz.target')} value={form.target} onChange={(e) => update({ target: e.target.value })} />
          </label>
        )}
        <label>
          {t('pl.wiz.task')}
          <select aria-label={t('pl.wiz.task')} value={form.task} onChange={(e) => update({ task: e.target.value as PipelineForm['task'] })}>
            <option value="auto">{task && form.task === 'auto' ? t('pl.wiz.taskAuto', { task: t(`exp.task.${task}`) }) : t('pl.wiz.taskAutoNone')}</option>
            <option value="classification">{t('exp.task.classification')}</option>
            <option value="regression">{t('exp.task.regression')}</option>
          </select>
        </label>
      </div>
      {version && (
        <p className="muted pl-help" data-testid="version-note">
          {t('pl.wiz.columnsFrom', { label: version.label, rows: version.rows })}
        </p>
      )}
      <Problems errors={errors} field="training.target" />
      <Problems errors={errors} field="training.task" />
      <div className="form-row">
        <label>
          {t('pl.wiz.testShare')}
          <input
            aria-label={t('pl.wiz.testShare')}
            type="number"
            min={0}
            max={90}
            step={5}
            value={form.testPercent}
            onChange={(e) => update({ testPercent: e.target.value })}
            className="pl-narrow"
          />
        </label>
        <label>
          {t('pl.wiz.cvFolds')}
          <input
            aria-label={t('pl.wiz.cvFolds')}
            type="number"
            min={0}
            max={20}
            value={form.cvFolds}
            onChange={(e) => update({ cvFolds: e.target.value })}
            className="pl-narrow"
          />
        </label>
        <label>
          {t('pl.wiz.seed')}
          <input aria-label={t('pl.wiz.seed')} type="number" min={0} value={form.seed} onChange={(e) => update({ seed: e.target.value })} className="pl-mid" />
        </label>
      </div>
      <p className="muted pl-help">{t('pl.wiz.trainingHelp')}</p>
      <Problems errors={errors} field="training.testSize" />
      <Problems errors={errors} field="training.cvFolds" />
      <Problems errors={errors} field="training.seed" />
      <Problems errors={errors} field="training" exact />
    </>
  );
}

/** Step 3: one or several candidate models with their main parameters, and the metric that picks the best. */
export function StepModels({ form, update, task, errors }: StepProps) {
  const t = useT();
  const setModels = (models: PipelineForm['models']) => update({ models });
  const full = form.models.length >= PIPELINE_LIMITS.maxModels;
  const metrics = metricsFor(task);
  return (
    <>
      <Problems errors={errors} field="models" exact />
      <div className="pl-models">
        {form.models.map((m, i) => (
          <ModelCard
            key={m.key}
            index={i}
            algorithm={m.algorithm}
            params={m.params}
            task={task}
            errors={errorsOf(errors, `models.${i}`)}
            onChange={(patch) => setModels(form.models.map((x) => (x.key === m.key ? { ...x, ...patch } : x)))}
            onRemove={form.models.length > 1 ? () => setModels(form.models.filter((x) => x.key !== m.key)) : undefined}
          />
        ))}
      </div>
      <div className="pl-add" role="group" aria-label={t('pl.wiz.addModel')}>
        <span className="muted">{t('pl.wiz.addModel')}</span>
        {ALGORITHM_IDS.map((a) => {
          const ok = !task || ALGORITHM_TASKS[a].includes(task);
          return (
            <button key={a} type="button" className="btn btn--small" disabled={!ok || full} onClick={() => setModels([...form.models, newModel(a)])}>
              + {t(`exp.algo.${a}`)}
            </button>
          );
        })}
      </div>
      <div className="form-row">
        <label>
          {t('pl.wiz.bestBy')}
          <select aria-label={t('pl.wiz.bestBy')} value={form.selectMetric} onChange={(e) => update({ selectMetric: e.target.value })}>
            <option value="">{t('pl.wiz.bestByDefault', { metric: task === 'regression' ? 'r2' : task === 'classification' ? 'accuracy' : 'accuracy / r2' })}</option>
            {metrics.map((k) => (
              <option key={k} value={k}>
                {k} ({t(defaultBetter(k) === 'lower' ? 'pl.wiz.lower' : 'pl.wiz.higher')})
              </option>
            ))}
            {form.selectMetric && !metrics.includes(form.selectMetric) && <option value={form.selectMetric}>{form.selectMetric}</option>}
          </select>
        </label>
      </div>
      <p className="muted pl-help">{t('pl.wiz.bestByHelp')}</p>
      <Problems errors={errors} field="selectBy" />
    </>
  );
}

function ModelCard({
  index,
  algorithm,
  params,
  task,
  errors,
  onChange,
  onRemove,
}: {
  index: number;
  algorithm: AlgorithmId;
  params: Record<string, string | boolean>;
  task: TrainTask | null;
  errors: FieldError[];
  onChange(patch: { algorithm?: AlgorithmId; params?: Record<string, string | boolean> }): void;
  onRemove?: () => void;
}) {
  const t = useT();
  const fields = PARAM_FIELDS[algorithm].filter((f) => !f.advanced && fieldApplies(f, algorithm, task));
  const label = t('pl.wiz.modelN', { n: index + 1 });
  const prefix = `models.${index}`;
  return (
    <section className={`pl-model${errors.length ? ' pl-model--bad' : ''}`} aria-label={label} data-algorithm={algorithm}>
      <header className="pl-model__head">
        <span className="pl-model__n">{index + 1}</span>
        <select aria-label={t('pl.wiz.modelKind', { n: index + 1 })} value={algorithm} onChange={(e) => onChange({ algorithm: e.target.value as AlgorithmId, params: {} })}>
          {ALGORITHM_IDS.map((a) => (
            <option key={a} value={a} disabled={!!task && !ALGORITHM_TASKS[a].includes(task)}>
              {t(`exp.algo.${a}`)}
            </option>
          ))}
        </select>
        {onRemove && (
          <button type="button" className="btn btn--small btn--ghost" onClick={onRemove} aria-label={t('pl.wiz.removeModel', { n: index + 1 })}>
            ✕
          </button>
        )}
      </header>
      <div className="pl-params">
        {fields.map((f) => (
          <ParamInput key={f.key} field={f} aria={`${label}: ${t(`exp.param.${f.key}`)}`} value={params[f.key]} onChange={(v) => onChange({ params: { ...params, [f.key]: v } })} />
        ))}
      </div>
      {errors.map((e, i) => (
        <p key={i} className="pl-problem" role="alert" data-field={e.field}>
          {e.field.startsWith(`${prefix}.params.`) ? `${t(`exp.param.${e.field.slice(prefix.length + 8)}`)}: ` : ''}
          {e.message}
        </p>
      ))}
    </section>
  );
}

function ParamInput({ field, aria, value, onChange }: { field: ParamField; aria: string; value: string | boolean | undefined; onChange(v: string | boolean): void }) {
  const t = useT();
  const label = t(`exp.param.${field.key}`);
  const v = value ?? field.def;
  if (field.kind === 'bool')
    return (
      <label className="pl-check pl-check--inline" title={field.key}>
        <input type="checkbox" aria-label={aria} checked={v === true} onChange={(e) => onChange(e.target.checked)} />
        <span>{label}</span>
      </label>
    );
  if (field.kind === 'select')
    return (
      <label title={field.key}>
        {label}
        <select aria-label={aria} value={String(v)} onChange={(e) => onChange(e.target.value)}>
          {field.options!.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      </label>
    );
  return (
    <label title={field.key}>
      {label}
      <input
        aria-label={aria}
        type={field.kind === 'maxFeatures' ? 'text' : 'number'}
        min={field.min}
        max={field.max}
        step={field.step ?? 1}
        value={String(v)}
        placeholder={field.kind === 'optionalInt' ? t('exp.param.none') : field.kind === 'maxFeatures' ? 'sqrt' : undefined}
        onChange={(e) => onChange(e.target.value)}
        className="pl-mid"
      />
    </label>
  );
}

/** Step 4: the registered model, its gates (the chapter's should_register_model), the stage and the promotion rule. */
export function StepRegistration({ form, update, task, errors }: StepProps) {
  const t = useT();
  const models = useQuery('registry:models', {}, ['registry']);
  const metrics = metricsFor(task);
  const headline = task === 'regression' ? 'r2' : 'accuracy';
  const metric = form.metric || headline;
  return (
    <>
      <div className="form-row">
        <label className="pl-wide">
          {t('pl.wiz.modelName')}
          <input aria-label={t('pl.wiz.modelName')} list="pl-model-names" value={form.model} onChange={(e) => update({ model: e.target.value })} placeholder="churn-model" />
          <datalist id="pl-model-names">
            {(models.data ?? []).map((m) => (
              <option key={m.name} value={m.name} />
            ))}
          </datalist>
        </label>
      </div>
      <Problems errors={errors} field="model" />
      <fieldset className="pl-fieldset">
        <legend>{t('pl.wiz.gates')}</legend>
        <div className="pl-gate-row">
          <label className="pl-check pl-check--inline">
            <input type="checkbox" checked={form.metricOn} onChange={(e) => update({ metricOn: e.target.checked })} />
            <span>{t('pl.wiz.metricGate')}</span>
          </label>
          <select
            aria-label={t('pl.wiz.gateMetric')}
            value={form.metric}
            disabled={!form.metricOn}
            onChange={(e) => update({ metric: e.target.value, op: e.target.value && defaultBetter(e.target.value) === 'lower' ? '<=' : '>=' })}
          >
            <option value="">{t('pl.wiz.gateMetricDefault', { metric: headline })}</option>
            {metrics.map((k) => (
              <option key={k}>{k}</option>
            ))}
            {form.metric && !metrics.includes(form.metric) && <option>{form.metric}</option>}
          </select>
          <select aria-label={t('pl.wiz.gateOperator')} value={form.op} disabled={!form.metricOn} onChange={(e) => update({ op: e.target.value as GateOperator })}>
            {GATE_OPERATORS.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
          <input
            aria-label={t('pl.wiz.gateThreshold')}
            inputMode="decimal"
            value={form.threshold}
            disabled={!form.metricOn}
            onChange={(e) => update({ threshold: e.target.value })}
            className="pl-narrow"
          />
        </div>
        <div className="pl-gate-row">
          <label className="pl-check pl-check--inline">
            <input type="checkbox" checked={form.cvGapOn} onChange={(e) => update({ cvGapOn: e.target.checked })} />
            <span>{t('pl.wiz.cvGapGate', { metric })}</span>
          </label>
          <input
            aria-label={t('pl.wiz.cvGapLimit')}
            inputMode="decimal"
            value={form.cvGap}
            disabled={!form.cvGapOn}
            onChange={(e) => update({ cvGap: e.target.value })}
            className="pl-narrow"
          />
          {form.cvGapOn && Number(form.cvFolds) < 2 && <span className="pl-warn">{t('pl.wiz.cvGapNeedsCv')}</span>}
        </div>
        <label className="pl-check">
          <input type="checkbox" checked={form.beatProduction} onChange={(e) => update({ beatProduction: e.target.checked })} />
          <span>{t('pl.wiz.beatGate')}</span>
        </label>
      </fieldset>
      <Problems errors={errors} field="gates" />
      <fieldset className="pl-fieldset">
        <legend>{t('pl.wiz.stage')}</legend>
        <label className="pl-check">
          <input type="radio" name="stage" checked={form.stage === 'Staging'} onChange={() => update({ stage: 'Staging' })} />
          <span>{t('pl.wiz.stageStaging')}</span>
        </label>
        <label className="pl-check">
          <input type="radio" name="stage" checked={form.stage === 'None'} onChange={() => update({ stage: 'None' })} />
          <span>{t('pl.wiz.stageNone')}</span>
        </label>
        <label className="pl-check">
          <input type="checkbox" checked={form.toProduction} onChange={(e) => update({ toProduction: e.target.checked })} />
          <span>{t('pl.wiz.toProduction')}</span>
        </label>
        <label className="pl-check pl-indent">
          <input type="checkbox" checked={form.rollbackIfWorse} disabled={!form.toProduction} onChange={(e) => update({ rollbackIfWorse: e.target.checked })} />
          <span>{t('pl.wiz.rollback')}</span>
        </label>
        <p className="muted pl-help">{t('pl.wiz.promotionHelp')}</p>
      </fieldset>
      <Problems errors={errors} field="stage" />
      <Problems errors={errors} field="promotion" />
    </>
  );
}

/** IANA zones for the time zone field's suggestions (browsers that lack the list get none). */
function timeZones(): string[] {
  try {
    return (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
}

/** Step 5: manual, a schedule (daily, weekly, every N hours, cron) in a time zone, new data, drift. */
export function StepTriggers({ form, update, errors }: StepProps) {
  const t = useT();
  const kinds = ['none', 'daily', 'weekly', 'hours', 'cron'] as const;
  return (
    <>
      <fieldset className="pl-fieldset">
        <legend>{t('pl.wiz.schedule')}</legend>
        {kinds.map((k) => (
          <div key={k} className="pl-sched">
            <label className="pl-check">
              <input type="radio" name="schedule" checked={form.scheduleKind === k} onChange={() => update({ scheduleKind: k })} />
              <span>{t(`pl.wiz.sched.${k}`)}</span>
            </label>
            {form.scheduleKind === k && k !== 'none' && (
              <div className="pl-indent form-row">
                {k === 'weekly' && (
                  <label>
                    {t('pl.wiz.day')}
                    <select aria-label={t('pl.wiz.day')} value={form.day} onChange={(e) => update({ day: e.target.value as PipelineForm['day'] })}>
                      {WEEKDAYS.map((d) => (
                        <option key={d} value={d}>
                          {t(`pl.day.${d}`)}
                        </option>
                      ))}
                    </select>
                  </label>
                )}
                {(k === 'daily' || k === 'weekly') && (
                  <label>
                    {t('pl.wiz.at')}
                    <input type="time" aria-label={t('pl.wiz.at')} value={form.at} onChange={(e) => update({ at: e.target.value })} />
                  </label>
                )}
                {k === 'hours' && (
                  <label>
                    {t('pl.wiz.every')}
                    <input
                      type="number"
                      aria-label={t('pl.wiz.every')}
                      min={1}
                      max={PIPELINE_LIMITS.maxEveryHours}
                      value={form.every}
                      onChange={(e) => update({ every: e.target.value })}
                      className="pl-narrow"
                    />
                  </label>
                )}
                {k === 'cron' && (
                  <label className="pl-wide">
                    {t('pl.wiz.cron')}
                    <input aria-label={t('pl.wiz.cron')} value={form.cron} onChange={(e) => update({ cron: e.target.value })} className="pl-mono" />
                    <span className="pl-hint">{t('pl.wiz.cronHelp')}</span>
                  </label>
                )}
                {k !== 'hours' && (
                  <label>
                    {t('pl.wiz.timezone')}
                    <input aria-label={t('pl.wiz.timezone')} list="pl-time-zones" value={form.timezone} onChange={(e) => update({ timezone: e.target.value })} />
                    <datalist id="pl-time-zones">
                      {timeZones().map((z) => (
                        <option key={z} value={z} />
                      ))}
                    </datalist>
                  </label>
                )}
              </div>
            )}
          </div>
        ))}
        <p className="muted pl-help">{t('pl.wiz.scheduleHelp')}</p>
      </fieldset>
      <Problems errors={errors} field="triggers.schedule" />
      <Problems errors={errors} field="timezone" />
      <fieldset className="pl-fieldset">
        <legend>{t('pl.wiz.events')}</legend>
        <label className="pl-check">
          <input type="checkbox" checked={form.onNewData} onChange={(e) => update({ onNewData: e.target.checked })} />
          <span>{t('pl.wiz.onNewData')}</span>
        </label>
        <label className="pl-check">
          <input type="checkbox" checked={form.onDrift} onChange={(e) => update({ onDrift: e.target.checked })} />
          <span>{t('pl.wiz.onDrift')}</span>
        </label>
      </fieldset>
      <Problems errors={errors} field="triggers.onNewData" />
      <Problems errors={errors} field="triggers.onDrift" />
    </>
  );
}

/** Step 6: what Save stores, and every refusal of the server with a button to its step. */
export function StepReview({ form, task, errors, goTo }: StepProps) {
  const t = useT();
  const def = definitionFromForm(form, task);
  const gates: string[] = [];
  if (form.metricOn) gates.push(`${form.metric || (task === 'regression' ? 'r2' : 'accuracy')} ${form.op} ${form.threshold}`);
  if (form.cvGapOn) gates.push(t('pl.gate.cvGap', { gap: form.cvGap }));
  if (form.beatProduction) gates.push(t('pl.gate.beat'));
  return (
    <>
      {errors.length > 0 && (
        <ul className="pl-review-problems" aria-label={t('pl.wiz.problems')} data-testid="wizard-problems">
          {errors.map((e, i) => (
            <li key={i} className="pl-problem" role="alert">
              <button type="button" className="btn btn--small btn--ghost" onClick={() => goTo(e.step)}>
                {t(`pl.wiz.step.${e.step}`)}
              </button>{' '}
              {e.field ? <code>{e.field}</code> : null} {e.message}
            </li>
          ))}
        </ul>
      )}
      <dl className="facts pl-summary" data-testid="review">
        <dt>{t('pl.wiz.name')}</dt>
        <dd>{form.name || '—'}</dd>
        <dt>{t('pl.wiz.source')}</dt>
        <dd>
          <SourceText source={def.source as never} />
        </dd>
        <dt>{t('pl.wiz.suite')}</dt>
        <dd>{form.suite || t('pl.wiz.suiteNone')}</dd>
        <dt>{t('pl.wiz.recipe')}</dt>
        <dd>{form.recipe || t('pl.wiz.recipeNone')}</dd>
        <dt>{t('pl.wiz.target')}</dt>
        <dd>
          {form.target || '—'} {task && <span className="muted">· {t(`exp.task.${task}`)}</span>}
        </dd>
        <dt>{t('pl.wiz.testing')}</dt>
        <dd>{t('pl.wiz.testingText', { share: form.testPercent, folds: form.cvFolds, seed: form.seed })}</dd>
        <dt>{t('pl.wiz.step.models')}</dt>
        <dd>
          {def.models
            .map((m) => {
              const p = Object.entries(m.params ?? {})
                .map(([k, v]) => `${k}=${String(v)}`)
                .join(', ');
              return `${t(`exp.algo.${m.algorithm}`)}${p ? ` (${p})` : ''}`;
            })
            .join(' · ')}
        </dd>
        <dt>{t('pl.wiz.modelName')}</dt>
        <dd>{form.model || '—'}</dd>
        <dt>{t('pl.wiz.gates')}</dt>
        <dd>{gates.length ? gates.join(' · ') : t('pl.wiz.noGates')}</dd>
        <dt>{t('pl.wiz.stage')}</dt>
        <dd>
          {form.stage === 'Staging' ? t('pl.wiz.stageStaging') : t('pl.wiz.stageNone')}
          {form.toProduction && ` · ${t('pl.wiz.toProductionShort')}${form.rollbackIfWorse ? ` (${t('pl.wiz.rollbackShort')})` : ''}`}
        </dd>
        <dt>{t('pl.wiz.step.triggers')}</dt>
        <dd data-testid="review-triggers">{triggerTexts(t, { triggers: { schedule: def.triggers!.schedule ?? null, onNewData: form.onNewData, onDrift: form.onDrift }, timezone: form.timezone }).join(' · ')}</dd>
      </dl>
    </>
  );
}
