import type { RecipeRecord } from '../../../../../shared/contracts/datasets';
import { MAX_MODELS_PER_LAUNCH } from '../../../../../shared/contracts/tracking';
import { paramLimit, type LaunchDraft, type LaunchProblem } from '../../../../../shared/launch-checks';
import { ALGORITHM_IDS, ALGORITHM_TASKS, type AlgorithmId, type TrainableVersion, type TrainTask } from '../../../../../shared/training';
import { reportError } from '../../../app/errors-store';
import { useRouter } from '../../../app/router';
import { useT, type Translator } from '../../../i18n';
import { api } from '../../../lib/api';
import { useQuery } from '../../../lib/use-query';
import { fieldApplies, PARAM_FIELDS, type ParamField } from './param-fields';
import { useWizard, type ModelDraft, type ServerError, type WizardForm } from './wizard-store';

/** What every step is given by the wizard. */
export interface StepProps {
  form: WizardForm;
  update(patch: Partial<WizardForm>): void;
  sources: TrainableVersion[];
  sourcesLoaded: boolean;
  version: TrainableVersion | null;
  task: TrainTask | null;
  recipes: RecipeRecord[];
  recipe: RecipeRecord | null;
  problems: LaunchProblem[];
  /** The server's refusal, when it concerns this step. */
  serverError: ServerError | null;
}

/** Problems of one field (or of every field under it, e.g. `models.0`). */
export function problemsOf(problems: readonly LaunchProblem[], field: string): LaunchProblem[] {
  return problems.filter((p) => p.field === field || p.field.startsWith(`${field}.`));
}

/** A problem in the UI language: values naming a type, task or model are translated too. */
export function problemText(t: Translator, p: LaunchProblem): string {
  const v: Record<string, string | number> = { ...p.values };
  if (typeof v.type === 'string') v.type = t(`exp.type.${v.type}`);
  if (typeof v.task === 'string') v.task = t(`exp.task.${v.task}`);
  if (typeof v.algorithm === 'string') v.algorithm = t(`exp.algo.${v.algorithm}`);
  if (typeof v.param === 'string' && v.param) {
    // A parameter without a label of its own (maxBins, tol) keeps its name.
    const label = t(`exp.param.${v.param}`);
    v.param = label === `exp.param.${v.param}` ? v.param : label;
  }
  // Bounds keep every digit (0.0001, 1e-6); the default format rounds to three decimals.
  for (const k of ['min', 'max'] as const) if (typeof v[k] === 'number') v[k] = bound(t, v[k] as number);
  return t(`wizard.check.${p.code}`, v);
}

const bound = (t: Translator, v: number) => t.number(v, { maximumFractionDigits: 10 });

/** The messages of a field, shown right under it (and read out: role=alert). */
function FieldProblems({ problems, field, server }: { problems: readonly LaunchProblem[]; field: string; server?: ServerError | null }) {
  const t = useT();
  const mine = problemsOf(problems, field);
  const serverHere = server && (server.field === field || server.field.startsWith(`${field}.`));
  if (!mine.length && !serverHere) return null;
  return (
    <div className="wiz-problems" data-field={field}>
      {mine.map((p, i) => (
        <p key={i} className="wiz-problem" role="alert" data-code={p.code}>
          {problemText(t, p)}
        </p>
      ))}
      {serverHere && (
        <p className="wiz-problem wiz-problem--server" role="alert" data-code="server">
          {t('wizard.serverRefused', { message: server.message })}
        </p>
      )}
    </div>
  );
}

/** The server's refusal that names no field of this step, at the top of the step. */
function ServerProblem({ server, fields }: { server: ServerError | null; fields: string[] }) {
  const t = useT();
  if (!server || fields.some((f) => server.field === f || server.field.startsWith(`${f}.`))) return null;
  return (
    <p className="wiz-problem wiz-problem--server" role="alert" data-code="server">
      {t('wizard.serverRefused', { message: server.message })}
    </p>
  );
}

/** Step 1: the experiment and the dataset version (an empty workspace offers the bundled sample). */
export function StepDataset({ form, update, sources, sourcesLoaded, version, problems, serverError }: StepProps) {
  const t = useT();
  const navigate = useRouter((s) => s.navigate);
  const experiments = useQuery('experiments:list', { stage: 'active' }, ['tracking']);
  const importSample = () => api.call('datasets:importSample', {}).catch(reportError);
  return (
    <>
      <ServerProblem server={serverError} fields={['versionId']} />
      <div className="form-row">
        <label>
          {t('wizard.experiment')}
          <select
            aria-label={t('wizard.experiment')}
            value={form.experimentId}
            onChange={(e) => update({ experimentId: Number(e.target.value) })}
          >
            {(experiments.data ?? []).map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
            {!experiments.data?.some((x) => x.id === form.experimentId) && <option value={form.experimentId}>#{form.experimentId}</option>}
          </select>
        </label>
      </div>
      {sourcesLoaded && sources.length === 0 ? (
        <div className="empty-state">
          <h3>{t('exp.empty.title')}</h3>
          <p className="muted">{t('exp.empty.body')}</p>
          <button type="button" className="btn btn--primary" onClick={importSample}>
            {t('exp.empty.sample')}
          </button>{' '}
          <button type="button" className="btn" onClick={() => navigate('data', 'import')}>
            {t('exp.empty.import')}
          </button>
        </div>
      ) : (
        <>
          <div className="form-row">
            <label className="wiz-wide">
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
          </div>
          <FieldProblems problems={problems} field="versionId" />
          {version && (
            <p className="muted wiz-note" data-testid="version-note">
              {t('wizard.versionNote', { sha: version.sha256.slice(0, 12), created: t.dateTime(version.createdAt) })}
            </p>
          )}
        </>
      )}
    </>
  );
}

/** Step 2: the target (task inferred, overridable), an optional recipe and the feature columns. */
export function StepTarget({ form, update, version, task, recipes, recipe, problems, serverError }: StepProps) {
  const t = useT();
  const column = version?.columns.find((c) => c.name === form.target) ?? null;
  const detected = column?.detectedTask ?? null;
  const featureCols = version?.columns.filter((c) => c.name !== form.target) ?? [];
  const used = featureCols.filter((c) => c.type !== 'text' && !form.excluded.includes(c.name));
  const toggle = (name: string, on: boolean) =>
    update({ excluded: on ? form.excluded.filter((x) => x !== name) : [...form.excluded, name] });
  const classes = column?.classCounts && task === 'classification' ? column.classCounts : null;
  return (
    <>
      <ServerProblem server={serverError} fields={['target', 'task', 'recipeId', 'features']} />
      <div className="form-row">
        <label>
          {t('exp.form.target')}
          <select
            aria-label={t('exp.form.target')}
            value={column ? form.target : ''}
            onChange={(e) => update({ target: e.target.value, excluded: form.excluded.filter((x) => x !== e.target.value) })}
          >
            <option value="">{t('wizard.targetNone')}</option>
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
            onChange={(e) => update({ task: e.target.value as WizardForm['task'] })}
          >
            <option value="auto">
              {detected ? t('exp.form.taskAuto', { task: t(`exp.task.${detected}`) }) : t('exp.form.taskAutoNone')}
            </option>
            <option value="classification">{t('exp.task.classification')}</option>
            <option value="regression">{t('exp.task.regression')}</option>
          </select>
        </label>
      </div>
      <FieldProblems problems={problems} field="target" server={serverError} />
      <FieldProblems problems={problems} field="task" server={serverError} />
      {column && (
        <p className="muted wiz-note" data-testid="task-note">
          {detected
            ? t('exp.form.detected', { type: t(`exp.type.${column.type}`), distinct: column.distinct, task: t(`exp.task.${detected}`) })
            : t('exp.form.notTarget', { type: t(`exp.type.${column.type}`) })}
          {classes && classes.length > 1 && (
            <>
              {' '}
              {t('wizard.classCounts', {
                list: classes
                  .slice(0, 8)
                  .map((c) => `${c.value} (${t.number(c.count)})`)
                  .join(', ')
                  .concat(classes.length > 8 ? ', …' : ''),
              })}
            </>
          )}
        </p>
      )}
      <div className="form-row">
        <label className="wiz-wide">
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
      <FieldProblems problems={problems} field="recipeId" server={serverError} />
      <p className="muted wiz-note" data-testid="recipe-note">
        {recipe ? t('exp.form.recipeHelp') : recipes.length ? t('exp.form.recipeNoneHelp') : t('exp.form.recipeEmpty')}
      </p>
      <fieldset className="wiz-fieldset">
        <legend>{t('exp.form.featuresSummary', { used: used.length, total: featureCols.length })}</legend>
        <div className="wiz-features">
          {featureCols.map((c) => (
            <label key={c.name} className="wiz-check">
              <input
                type="checkbox"
                checked={c.type !== 'text' && !form.excluded.includes(c.name)}
                disabled={c.type === 'text'}
                onChange={(e) => toggle(c.name, e.target.checked)}
              />
              <span className="wiz-features__name">{c.name}</span>
              <span className="muted">{c.type === 'text' ? t('exp.form.textUnused') : t(`exp.type.${c.type}`)}</span>
            </label>
          ))}
        </div>
        {featureCols.length > 1 && (
          <div className="wiz-inline-actions">
            <button type="button" className="btn btn--small btn--ghost" onClick={() => update({ excluded: [] })}>
              {t('wizard.featuresAll')}
            </button>
            <button
              type="button"
              className="btn btn--small btn--ghost"
              onClick={() => update({ excluded: featureCols.map((c) => c.name) })}
            >
              {t('wizard.featuresNone')}
            </button>
          </div>
        )}
      </fieldset>
      <FieldProblems problems={problems} field="features" server={serverError} />
    </>
  );
}

/** Step 3: one or several model cards, each with its main hyper-parameters (bounds from the shared limits) and a run name. */
export function StepModels({ form, version, task, problems, serverError }: StepProps) {
  const t = useT();
  const setModels = useWizard((s) => s.setModels);
  const addModel = useWizard((s) => s.addModel);
  const change = (key: number, patch: Partial<ModelDraft>) => setModels(form.models.map((m) => (m.key === key ? { ...m, ...patch } : m)));
  const full = form.models.length >= MAX_MODELS_PER_LAUNCH;
  return (
    <>
      <ServerProblem server={serverError} fields={['models']} />
      <p className="muted wiz-note">{t('wizard.modelsIntro')}</p>
      <FieldProblems problems={problems.filter((p) => p.field === 'models')} field="models" />
      <div className="wiz-models">
        {form.models.map((m, i) => (
          <ModelCard
            key={m.key}
            index={i}
            model={m}
            task={task}
            defaultName={`${m.algorithm} · ${version?.label ?? ''}`}
            problems={problemsOf(problems, `models.${i}`)}
            server={serverError && serverError.field.startsWith(`models.${i}`) ? serverError : null}
            onChange={(patch) => change(m.key, patch)}
            onRemove={form.models.length > 1 ? () => setModels(form.models.filter((x) => x.key !== m.key)) : undefined}
          />
        ))}
      </div>
      <div className="wiz-add" role="group" aria-label={t('wizard.addModel')}>
        <span className="muted">{t('wizard.addModel')}</span>
        {ALGORITHM_IDS.map((a) => {
          const ok = !task || ALGORITHM_TASKS[a].includes(task);
          return (
            <button
              key={a}
              type="button"
              className="btn btn--small"
              disabled={!ok || full}
              title={ok ? undefined : t('exp.form.modelNotFor', { task: t(`exp.task.${task}`) })}
              onClick={() => addModel(a)}
            >
              + {t(`exp.algo.${a}`)}
            </button>
          );
        })}
      </div>
    </>
  );
}

function ModelCard({
  index,
  model,
  task,
  defaultName,
  problems,
  server,
  onChange,
  onRemove,
}: {
  index: number;
  model: ModelDraft;
  task: TrainTask | null;
  defaultName: string;
  problems: LaunchProblem[];
  server: ServerError | null;
  onChange(patch: Partial<ModelDraft>): void;
  onRemove?: () => void;
}) {
  const t = useT();
  const fields = PARAM_FIELDS[model.algorithm].filter((f) => fieldApplies(f, model.algorithm, task));
  const prefix = `models.${index}`;
  const label = t('wizard.modelN', { n: index + 1, model: t(`exp.algo.${model.algorithm}`) });
  const input = (f: ParamField) => (
    <ParamInput
      key={f.key}
      field={f}
      algorithm={model.algorithm}
      task={task}
      modelLabel={label}
      value={model.params[f.key]}
      onChange={(v) => onChange({ params: { ...model.params, [f.key]: v } })}
      problems={problemsOf(problems, `${prefix}.params.${f.key}`)}
    />
  );
  const unplaced = problems.filter((p) => p.field === `${prefix}.params` || p.field === `${prefix}.algorithm`);
  const bad = problems.length > 0 || !!server;
  return (
    <section className={`wiz-model${bad ? ' wiz-model--bad' : ''}`} aria-label={label} data-algorithm={model.algorithm}>
      <header className="wiz-model__head">
        <span className="wiz-model__n">{index + 1}</span>
        <select
          aria-label={t('wizard.modelKind', { n: index + 1 })}
          value={model.algorithm}
          onChange={(e) => onChange({ algorithm: e.target.value as AlgorithmId, params: {} })}
        >
          {ALGORITHM_IDS.map((a) => (
            <option key={a} value={a}>
              {t(`exp.algo.${a}`)}
              {task && !ALGORITHM_TASKS[a].includes(task) ? ` — ${t('exp.form.modelNotFor', { task: t(`exp.task.${task}`) })}` : ''}
            </option>
          ))}
        </select>
        {onRemove && (
          <button
            type="button"
            className="btn btn--small btn--ghost wiz-model__remove"
            onClick={onRemove}
            aria-label={t('wizard.removeModel', { n: index + 1 })}
          >
            ✕
          </button>
        )}
      </header>
      {unplaced.map((p, i) => (
        <p key={i} className="wiz-problem" role="alert" data-code={p.code}>
          {problemText(t, p)}
        </p>
      ))}
      {server && (
        <p className="wiz-problem wiz-problem--server" role="alert" data-code="server">
          {t('wizard.serverRefused', { message: server.message })}
        </p>
      )}
      <div className="wiz-params">{fields.filter((f) => !f.advanced).map(input)}</div>
      {fields.some((f) => f.advanced) && (
        <details className="wiz-more">
          <summary>{t('exp.form.moreParams')}</summary>
          <div className="wiz-params">{fields.filter((f) => f.advanced).map(input)}</div>
        </details>
      )}
      <label className="wiz-runname">
        {t('wizard.runName')}
        <input
          aria-label={t('wizard.runNameOf', { n: index + 1 })}
          value={model.runName}
          placeholder={defaultName}
          maxLength={600}
          onChange={(e) => onChange({ runName: e.target.value })}
        />
      </label>
      {problemsOf(problems, `${prefix}.runName`).map((p, i) => (
        <p key={i} className="wiz-problem" role="alert" data-code={p.code}>
          {problemText(t, p)}
        </p>
      ))}
    </section>
  );
}

function ParamInput({
  field,
  algorithm,
  task,
  modelLabel,
  value,
  onChange,
  problems,
}: {
  field: ParamField;
  algorithm: AlgorithmId;
  task: TrainTask | null;
  modelLabel: string;
  value: string | boolean | undefined;
  onChange(v: string | boolean): void;
  problems: LaunchProblem[];
}) {
  const t = useT();
  const label = t(`exp.param.${field.key}`);
  const aria = `${modelLabel}: ${label}`;
  const v = value ?? field.def;
  const limit = paramLimit(algorithm, field.key);
  const messages = problems.map((p, i) => (
    <span key={i} className="wiz-problem" role="alert" data-code={p.code}>
      {problemText(t, p)}
    </span>
  ));
  if (field.kind === 'bool') {
    return (
      <label className="wiz-check wiz-check--inline" title={field.key}>
        <input type="checkbox" aria-label={aria} checked={v === true} onChange={(e) => onChange(e.target.checked)} />
        <span>{label}</span>
      </label>
    );
  }
  if (field.kind === 'select') {
    return (
      <label title={field.key}>
        {label}
        <select aria-label={aria} value={String(v)} onChange={(e) => onChange(e.target.value)}>
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
          aria-label={aria}
          list="wiz-max-features"
          value={String(v)}
          placeholder={t('exp.param.maxFeaturesDefault', { value: task === 'regression' ? 'all' : 'sqrt' })}
          onChange={(e) => onChange(e.target.value)}
          className="wiz-mid"
        />
        <datalist id="wiz-max-features">
          <option value="sqrt" />
          <option value="log2" />
          <option value="all" />
          <option value="0.5" />
        </datalist>
        {messages}
      </label>
    );
  }
  return (
    <label title={field.key} className={problems.length ? 'wiz-field--bad' : undefined}>
      {label}
      <input
        aria-label={aria}
        aria-invalid={problems.length > 0 || undefined}
        type="number"
        min={field.min}
        max={field.max}
        step={field.step ?? 1}
        value={String(v)}
        placeholder={field.kind === 'optionalInt' ? t('exp.param.none') : undefined}
        onChange={(e) => onChange(e.target.value)}
        className="wiz-mid"
      />
      {limit && <span className="wiz-bounds">{t('wizard.bounds', { min: bound(t, limit.min), max: bound(t, limit.max) })}</span>}
      {messages}
    </label>
  );
}

/** Step 4: test share, stratification (classification), seed and k-fold cross-validation. */
export function StepValidation({ form, update, version, task, problems, serverError }: StepProps) {
  const t = useT();
  const column = version?.columns.find((c) => c.name === form.target);
  const smallest =
    task === 'classification' && column?.classCounts?.length ? column.classCounts.reduce((a, b) => (b.count < a.count ? b : a)) : null;
  return (
    <>
      <ServerProblem server={serverError} fields={['testSize', 'stratify', 'cvFolds', 'seed']} />
      <div className="wiz-grid">
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
            className="wiz-narrow"
          />
          <span className="wiz-bounds">{t('wizard.testShareHelp')}</span>
        </label>
        <FieldProblems problems={problems} field="testSize" server={serverError} />
        <label className="wiz-check">
          <input
            type="checkbox"
            checked={form.stratify && task !== 'regression'}
            disabled={task === 'regression'}
            onChange={(e) => update({ stratify: e.target.checked })}
          />
          <span>{t('exp.form.stratified')}</span>
          <span className="muted">{task === 'regression' ? t('wizard.stratifyRegression') : t('wizard.stratifyHelp')}</span>
        </label>
        <label>
          {t('wizard.cvFolds')}
          <input
            aria-label={t('wizard.cvFolds')}
            type="number"
            min={0}
            max={20}
            step={1}
            value={form.cvFolds}
            onChange={(e) => update({ cvFolds: e.target.value })}
            className="wiz-narrow"
          />
          <span className="wiz-bounds">
            {t('wizard.cvHelp')}
            {smallest && ` ${t('wizard.smallestClass', { value: smallest.value, count: smallest.count })}`}
          </span>
        </label>
        <FieldProblems problems={problems} field="cvFolds" server={serverError} />
        <label>
          {t('exp.form.seed')}
          <input
            aria-label={t('exp.form.seed')}
            type="number"
            min={0}
            step={1}
            value={form.seed}
            onChange={(e) => update({ seed: e.target.value })}
            className="wiz-mid"
          />
          <span className="wiz-bounds">{t('wizard.seedHelp')}</span>
        </label>
        <FieldProblems problems={problems} field="seed" server={serverError} />
      </div>
    </>
  );
}

/** Step 5: a summary of what Launch starts. */
export function StepReview({ form, version, task, recipe, problems, serverError, draft }: StepProps & { draft: LaunchDraft }) {
  const t = useT();
  // Every stage: an experiment trashed meanwhile is still named (the server refuses the launch).
  const experiments = useQuery('experiments:list', { stage: 'all' }, ['tracking']);
  const experiment = experiments.data?.find((x) => x.id === form.experimentId);
  const setStep = useWizard((s) => s.setStep);
  const total = version ? version.columns.length - 1 : 0;
  return (
    <>
      <ServerProblem server={serverError} fields={[]} />
      {problems.length > 0 && (
        <ul className="wiz-review-problems" aria-label={t('wizard.problems')}>
          {problems.map((p, i) => (
            <li key={i} className="wiz-problem" role="alert">
              <button
                type="button"
                className="btn btn--small btn--ghost"
                onClick={() => setStep(['dataset', 'target', 'models', 'validation', 'review'].indexOf(p.step))}
              >
                {t(`wizard.step.${p.step}`)}
              </button>{' '}
              {problemText(t, p)}
            </li>
          ))}
        </ul>
      )}
      <dl className="facts wiz-summary" data-testid="review">
        <dt>{t('wizard.experiment')}</dt>
        <dd>{experiment?.name ?? `#${form.experimentId}`}</dd>
        <dt>{t('wizard.review.data')}</dt>
        <dd>
          {version ? t('exp.form.versionOption', { label: version.label, rows: version.rows, columns: version.columns.length }) : '—'}
        </dd>
        <dt>{t('exp.form.target')}</dt>
        <dd>
          {form.target || '—'} {task && <span className="muted">· {t(`exp.task.${task}`)}</span>}
        </dd>
        <dt>{t('exp.form.recipe')}</dt>
        <dd>{recipe ? recipe.name : t('exp.form.recipeNone')}</dd>
        <dt>{t('wizard.review.features')}</dt>
        <dd>{t('wizard.review.featuresText', { used: draft.features.length, total })}</dd>
        <dt>{t('wizard.review.validation')}</dt>
        <dd>
          {t('wizard.review.validationText', {
            share: form.testPercent,
            stratified: draft.stratify ? t('wizard.review.stratified') : t('wizard.review.notStratified'),
            cv: draft.cvFolds > 0 ? t('exp.form.cvFolds', { k: draft.cvFolds }) : t('wizard.review.noCv'),
            seed: form.seed,
          })}
        </dd>
      </dl>
      <h3 className="wiz-review-models__title">{t('wizard.review.models', { count: draft.models.length })}</h3>
      <table className="table wiz-review-models">
        <thead>
          <tr>
            <th>{t('wizard.review.model')}</th>
            <th>{t('wizard.review.runName')}</th>
            <th>{t('wizard.review.params')}</th>
          </tr>
        </thead>
        <tbody>
          {draft.models.map((m, i) => (
            <tr key={form.models[i]?.key ?? i}>
              <td>{t(`exp.algo.${m.algorithm}`)}</td>
              <td>{m.runName ?? <span className="muted">{`${m.algorithm} · ${version?.label ?? ''}`}</span>}</td>
              <td className="wiz-review-params">
                {Object.entries(m.params)
                  .map(([k, v]) => `${k}=${String(v)}`)
                  .join(', ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {draft.models.length > 1 && <p className="muted wiz-note">{t('wizard.review.siblings')}</p>}
      <RegisterOnFinish form={form} task={task} cv={draft.cvFolds > 0} />
    </>
  );
}

/** "Register when finished": a model name and the chapter's gates (headline metric ≥ threshold, |test − CV| < 0.1). */
function RegisterOnFinish({ form, task, cv }: { form: WizardForm; task: StepProps['task']; cv: boolean }) {
  const t = useT();
  const update = useWizard((s) => s.update);
  const models = useQuery('registry:models', {}, ['registry']);
  const metric = task === 'regression' ? 'r2' : 'accuracy';
  return (
    <fieldset className="card wiz-register" data-testid="register-on-finish">
      <legend>{t('wizard.register.title')}</legend>
      <div className="form-row">
        <label>
          {t('wizard.register.name')}
          <input
            list="wiz-register-models"
            value={form.registerName}
            placeholder={t('wizard.register.none')}
            onChange={(e) => update({ registerName: e.target.value })}
          />
        </label>
        <datalist id="wiz-register-models">
          {models.data?.map((m) => (
            <option key={m.name} value={m.name} />
          ))}
        </datalist>
        {form.registerName.trim() !== '' && (
          <label>
            {t('wizard.register.minScore', { metric })}
            <input
              inputMode="decimal"
              value={form.registerMinScore}
              placeholder="0.8"
              onChange={(e) => update({ registerMinScore: e.target.value })}
            />
          </label>
        )}
      </div>
      {form.registerName.trim() !== '' && (
        <>
          <label className="wiz-check">
            <input
              type="checkbox"
              checked={form.registerCvGap && cv}
              disabled={!cv}
              onChange={(e) => update({ registerCvGap: e.target.checked })}
            />
            <span>{t('wizard.register.cvGap', { metric })}</span>
            {!cv && <span className="muted">{t('wizard.register.needsCv')}</span>}
          </label>
          <p className="muted wiz-note">{t('wizard.register.note')}</p>
        </>
      )}
    </fieldset>
  );
}
