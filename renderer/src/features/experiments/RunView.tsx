import { useEffect, useState } from 'react';
import type { JobRecord } from '../../../../shared/jobs';
import type { ClassificationMetricSet, MetricSet, TrainingRequestSummary, TrainingResult, TrainingRun } from '../../../../shared/training';
import { reportError } from '../../app/errors-store';
import { useRouter } from '../../app/router';
import { ProgressBar } from '../../components/ProgressBar';
import { useT, type Translator } from '../../i18n';
import { api, downloadFile } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { ConfusionMatrix, CurveChart, ImportanceChart } from './charts';
import { useExperiments } from './experiments-store';

const CLASSIFICATION_KEYS = [
  'accuracy',
  'precisionMacro',
  'recallMacro',
  'f1Macro',
  'precisionWeighted',
  'recallWeighted',
  'f1Weighted',
  'precision',
  'recall',
  'f1',
  'rocAuc',
  'logLoss',
] as const;
const REGRESSION_KEYS = ['r2', 'rmse', 'mae'] as const;
const FOLD_KEYS = { classification: ['accuracy', 'f1Macro', 'rocAuc', 'logLoss'], regression: ['r2', 'rmse', 'mae'] } as const;
const TOP_FEATURES = 15;

const metric = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(4) : '—');

/** One train job: live progress and cancel while it runs, its error if it failed, its evaluation and model once done. */
export function RunView({ jobId }: { jobId: number }) {
  const t = useT();
  const navigate = useRouter((s) => s.navigate);
  const loadRequest = useExperiments((s) => s.loadRequest);
  const run = useQuery('training:run', { jobId }, ['jobs']);
  const [live, setLive] = useState<JobRecord | null>(null);
  useEffect(
    () => api.onEvent((name, payload) => name === 'job' && (payload as JobRecord).id === jobId && setLive(payload as JobRecord)),
    [jobId],
  );

  const back = (
    <p>
      <a href="#/experiments">{t('exp.back')}</a>
    </p>
  );
  if (run.error) {
    return (
      <div className="page">
        {back}
        <p className="exp-error" role="alert">
          {run.error.message}
        </p>
      </div>
    );
  }
  const r = run.data;
  if (!r) return <div className="page muted">{t('common.loading')}</div>;
  const active = r.status === 'running' || r.status === 'queued';
  const progress = active && live ? live : r;
  const result = r.result;
  const downloadModel = () =>
    api.call('training:model', { jobId }).then((m) => downloadFile(m.name, m.text, 'application/json'), reportError);
  const again = () => {
    if (r.request) loadRequest(r.request);
    navigate('experiments');
  };

  return (
    <div className="page exp-run">
      {back}
      <div className="exp-run__head">
        <h1>
          {r.request
            ? t('exp.run.title', { model: t(`exp.algo.${r.request.algorithm}`), source: r.request.source, target: r.request.target })
            : r.title}
        </h1>
        <span className={`badge exp-status status--${r.status}`} data-status={r.status}>
          {t(`jobs.status.${r.status}`)}
        </span>
        <div className="exp-run__actions">
          {r.request && (
            <button type="button" className="btn" onClick={again}>
              {t('exp.run.again')}
            </button>
          )}
          {result && (
            <button type="button" className="btn btn--primary" onClick={downloadModel}>
              {t('exp.run.download')}
            </button>
          )}
        </div>
      </div>

      {active && (
        <section className="card exp-progress" aria-label={t('exp.run.progress')}>
          <div className="exp-progress__row">
            <ProgressBar done={progress.progressDone} total={progress.progressTotal} label={t('exp.run.progress')} />
            <button type="button" className="btn btn--small" onClick={() => api.call('jobs:cancel', { id: jobId }).catch(reportError)}>
              {t('jobs.cancel')}
            </button>
          </div>
          <p className="muted exp-progress__message">{progress.progressMessage ?? t('exp.run.waiting')}</p>
        </section>
      )}
      {r.status === 'failed' && (
        <div className="exp-error" role="alert">
          <strong>{t('exp.run.failed')}</strong> {r.error}
        </div>
      )}
      {r.status === 'cancelled' && <p className="muted">{t('exp.run.cancelled')}</p>}
      {!result && r.request && <RequestFacts request={r.request} t={t} />}
      {result && <RunResult run={r} result={result} t={t} />}
    </div>
  );
}

function RunResult({ run, result, t }: { run: TrainingRun; result: TrainingResult; t: Translator }) {
  const [importanceKind, setImportanceKind] = useState<'impurity' | 'permutation'>('impurity');
  const classification = result.task === 'classification';
  const classes = result.model.classes ?? [];
  const keys = (classification ? CLASSIFICATION_KEYS : REGRESSION_KEYS).filter((k) =>
    result.test ? k in result.test : result.cv ? k in result.cv.mean : false,
  );
  const test = result.test as Record<string, number> | undefined;
  const binary = classification && classes.length === 2;
  const metricLabel = (k: string) =>
    binary && (k === 'precision' || k === 'recall' || k === 'f1')
      ? t(`exp.metric.${k}Positive`, { label: classes[1] })
      : t(`exp.metric.${k}`);

  const perm = result.importance.permutation;
  const kind = importanceKind === 'permutation' && perm ? 'permutation' : 'impurity';
  const importance = result.importance.features
    .map((name, i) =>
      kind === 'permutation' ? { name, value: perm!.mean[i], std: perm!.std[i] } : { name, value: result.importance.impurity[i] },
    )
    .sort((a, b) => b.value - a.value)
    .slice(0, TOP_FEATURES);
  const req = run.request;
  // Linear models' built-in importance is the coefficients' size, not an impurity decrease.
  const builtIn = result.algorithm === 'logreg' || result.algorithm === 'linear' ? 'coef' : 'impurity';
  const kindKey = kind === 'impurity' ? builtIn : kind;

  return (
    <>
      <section className="card">
        <dl className="facts exp-facts">
          <dt>{t('exp.run.task')}</dt>
          <dd>{t(`exp.task.${result.task}`)}</dd>
          <dt>{t('exp.run.data')}</dt>
          <dd>
            {req?.versionId ? <a href={`#/data/version/${req.versionId}`}>{result.source}</a> : result.source} → {result.target}
          </dd>
          <dt>{t('exp.run.recipe')}</dt>
          <dd data-testid="run-recipe">
            {req?.recipe ? t('exp.run.recipeText', { name: req.recipe.name, id: req.recipe.id }) : t('exp.run.recipeNone')}
          </dd>
          <dt>{t('exp.run.split')}</dt>
          <dd>
            {t('exp.run.splitText', {
              train: result.split.nTrain,
              test: result.split.nTest,
              share: Math.round(result.split.testSize * 100),
            })}
            {result.split.stratified ? ` · ${t('exp.form.stratified')}` : ''}
            {result.cv ? ` · ${t('exp.form.cvFolds', { k: result.cv.folds })}` : ''}
          </dd>
          <dt>{t('exp.run.seed')}</dt>
          <dd>{result.split.seed}</dd>
          <dt>{t('exp.run.duration')}</dt>
          <dd>{t('exp.run.durationText', { seconds: Number((result.durationMs / 1000).toFixed(1)), workers: result.workers })}</dd>
        </dl>
        {result.warnings.length > 0 && (
          <ul className="exp-warnings">
            {result.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        )}
      </section>

      <div className="exp-grid">
        <section className="card" aria-label={t('exp.run.metrics')}>
          <h2>{t('exp.run.metrics')}</h2>
          <table className="table exp-metrics">
            <thead>
              <tr>
                <th>{t('exp.run.metric')}</th>
                <th className="num">{t('exp.run.test', { n: result.split.nTest })}</th>
                {result.cv && <th className="num">{t('exp.run.cv', { k: result.cv.folds })}</th>}
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k} data-metric={k}>
                  <td>{metricLabel(k)}</td>
                  <td className="num">{metric(test?.[k])}</td>
                  {result.cv && (
                    <td className="num">
                      {metric(result.cv.mean[k])} <span className="muted">± {metric(result.cv.std[k])}</span>
                    </td>
                  )}
                </tr>
              ))}
              {result.oobScore !== undefined && (
                <tr data-metric="oob">
                  <td>{t('exp.metric.oob')}</td>
                  <td className="num">{metric(result.oobScore)}</td>
                  {result.cv && <td className="num muted">—</td>}
                </tr>
              )}
            </tbody>
          </table>
          {!result.test && <p className="muted">{t('exp.run.noTest')}</p>}
        </section>

        {classification && result.test && (
          <section className="card" aria-label={t('exp.run.confusion')}>
            <h2>{t('exp.run.confusion')}</h2>
            <ConfusionMatrix
              matrix={(result.test as ClassificationMetricSet).confusionMatrix}
              classes={classes}
              trueLabel={t('exp.run.trueClass')}
              predictedLabel={t('exp.run.predictedClass')}
              caption={t('exp.run.confusion')}
            />
          </section>
        )}

        {result.curves && (
          <section className="card" aria-label={t('exp.run.roc')}>
            <h2>{t('exp.run.rocTitle', { auc: metric((result.test as ClassificationMetricSet | undefined)?.rocAuc) })}</h2>
            <CurveChart
              points={result.curves.roc.fpr.map((x, i) => ({ x, y: result.curves!.roc.tpr[i] }))}
              xLabel={t('exp.run.fpr')}
              yLabel={t('exp.run.tpr')}
              diagonal
              label={t('exp.run.roc')}
            />
            <p className="muted exp-caption">{t('exp.run.positive', { label: classes[1] ?? '1' })}</p>
          </section>
        )}
        {result.curves && (
          <section className="card" aria-label={t('exp.run.pr')}>
            <h2>{t('exp.run.pr')}</h2>
            <CurveChart
              points={result.curves.pr.recall.map((x, i) => ({ x, y: result.curves!.pr.precision[i] }))}
              xLabel={t('exp.metric.recall')}
              yLabel={t('exp.metric.precision')}
              label={t('exp.run.pr')}
              color="#1f9d55"
            />
          </section>
        )}
      </div>

      <section className="card" aria-label={t('exp.run.importance')}>
        <div className="exp-card-head">
          <h2>{t('exp.run.importance')}</h2>
          {perm && (
            <div className="segmented" role="radiogroup" aria-label={t('exp.run.importanceKind')}>
              {(['impurity', 'permutation'] as const).map((k) => (
                <label key={k} className={`segmented__item${kind === k ? ' segmented__item--on' : ''}`}>
                  <input type="radio" name="importance" checked={kind === k} onChange={() => setImportanceKind(k)} />
                  {t(`exp.run.importance.${k === 'impurity' ? builtIn : k}`)}
                </label>
              ))}
            </div>
          )}
        </div>
        <ImportanceChart rows={importance} label={t('exp.run.importance')} valueLabel={t(`exp.run.importance.${kindKey}`)} />
        <p className="muted exp-caption">
          {t(`exp.run.importanceNote.${kindKey}`, { shown: importance.length, total: result.importance.features.length })}
        </p>
      </section>

      {result.cv && <FoldsTable perFold={result.cv.perFold} task={result.task} t={t} />}

      <section className="card exp-model" aria-label={t('exp.run.model')}>
        <h2>{t('exp.run.model')}</h2>
        <dl className="facts">
          <dt>{t('exp.run.modelHash')}</dt>
          <dd>
            <code>{result.model.sha256}</code> <span className="muted">({t.bytes(result.model.bytes)})</span>
          </dd>
          <dt>{t('exp.run.format')}</dt>
          <dd>{t('exp.run.formatText', { version: result.model.formatVersion, engine: result.model.engineVersion })}</dd>
          <dt>{t('exp.run.seed')}</dt>
          <dd>{result.model.seed}</dd>
          <dt>{t('exp.run.trainingHash')}</dt>
          <dd>
            <code>{result.model.trainingDataHash}</code>
          </dd>
          {req?.dataSha256 && (
            <>
              <dt>{t('exp.run.dataHash', { source: result.source })}</dt>
              <dd>
                <code>{req.dataSha256}</code>
              </dd>
            </>
          )}
          <dt>{t('exp.run.features')}</dt>
          <dd>{t('exp.run.featuresText', { n: result.model.featureNames.length })}</dd>
          {classes.length > 0 && (
            <>
              <dt>{t('exp.run.classes')}</dt>
              <dd>{classes.join(', ')}</dd>
            </>
          )}
          <dt>{t('exp.run.params')}</dt>
          <dd>
            <table className="exp-params-table">
              <tbody>
                {Object.entries(result.model.params)
                  .filter(([k]) => k !== 'extraTrees')
                  .map(([k, v]) => (
                    <tr key={k}>
                      <th scope="row">{k}</th>
                      <td>{paramText(k, v, t)}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </dd>
        </dl>
      </section>
    </>
  );
}

/** A resolved parameter as shown: "no limit" values (null, or 0 leaf nodes) read "none". */
function paramText(key: string, v: unknown, t: Translator): string {
  return v === null || v === undefined || (key === 'maxLeafNodes' && v === 0) ? t('exp.param.none') : String(v);
}

/** What was asked for, while the job runs or when it did not succeed. */
function RequestFacts({ request, t }: { request: TrainingRequestSummary; t: Translator }) {
  const params = Object.entries(request.params);
  return (
    <section className="card" aria-label={t('exp.run.request')}>
      <h2>{t('exp.run.request')}</h2>
      <dl className="facts exp-facts">
        <dt>{t('exp.run.task')}</dt>
        <dd>{request.task ? t(`exp.task.${request.task}`) : t('exp.form.taskAutoNone')}</dd>
        <dt>{t('exp.run.data')}</dt>
        <dd>
          {request.source} → {request.target}
        </dd>
        <dt>{t('exp.run.recipe')}</dt>
        <dd>{request.recipe ? t('exp.run.recipeText', { name: request.recipe.name, id: request.recipe.id }) : t('exp.run.recipeNone')}</dd>
        <dt>{t('exp.run.split')}</dt>
        <dd>
          {t('exp.run.requestSplit', { share: Math.round(request.testSize * 100) })}
          {request.stratify && request.task !== 'regression' ? ` · ${t('exp.form.stratified')}` : ''}
          {request.cvFolds > 0 ? ` · ${t('exp.form.cvFolds', { k: request.cvFolds })}` : ''}
        </dd>
        <dt>{t('exp.run.seed')}</dt>
        <dd>{request.seed}</dd>
        {request.features && (
          <>
            <dt>{t('exp.run.features')}</dt>
            <dd>{request.features.join(', ')}</dd>
          </>
        )}
        <dt>{t('exp.run.params')}</dt>
        <dd>{params.length ? params.map(([k, v]) => `${k} = ${paramText(k, v, t)}`).join(', ') : t('exp.run.defaults')}</dd>
      </dl>
    </section>
  );
}

function FoldsTable({ perFold, task, t }: { perFold: MetricSet[]; task: TrainingResult['task']; t: Translator }) {
  const keys = FOLD_KEYS[task];
  return (
    <details className="card exp-folds">
      <summary>
        <h2>{t('exp.run.folds', { k: perFold.length })}</h2>
      </summary>
      <table className="table">
        <thead>
          <tr>
            <th>{t('exp.run.fold')}</th>
            {keys.map((k) => (
              <th key={k} className="num">
                {t(`exp.metric.${k}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {perFold.map((m, i) => (
            <tr key={i}>
              <td>{i + 1}</td>
              {keys.map((k) => (
                <td key={k} className="num">
                  {metric((m as unknown as Record<string, number>)[k])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
