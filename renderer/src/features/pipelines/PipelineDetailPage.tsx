import { useState } from 'react';
import type { PipelineDefinition, PipelineRun } from '../../../../shared/pipelines';
import { reportError } from '../../app/errors-store';
import { useRouter } from '../../app/router';
import { useT } from '../../i18n';
import { api, downloadFile } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { Dialog } from '../registry/dialog';
import '../registry/registry.css';
import { durationText, triggerTexts } from './pipeline-format';
import { SourceText, StatusPill, useTime } from './pipeline-ui';

/** `#/pipelines/p/NAME`: the definition and its versions, enable/disable, Run now, Edit, Export, Delete, and the runs. */
export default function PipelineDetailPage({ name }: { name: string }) {
  const t = useT();
  const time = useTime();
  const navigate = useRouter((s) => s.navigate);
  const detail = useQuery('pipelines:get', { name }, ['pipelines']);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  const [exported, setExported] = useState<string | null>(null);
  if (detail.error && !detail.data)
    return (
      <div className="page pl-page">
        <p>
          <a href="#/pipelines">← {t('pl.title')}</a>
        </p>
        <p className="pl-error" role="alert">
          {detail.error.message}
        </p>
      </div>
    );
  const p = detail.data;
  if (!p) return <div className="page muted">{t('pl.loading')}</div>;
  const run = async () => {
    setBusy(true);
    try {
      const started = await api.call('pipelines:run', { name: p.name });
      navigate('pipelines', 'run', started.run.id);
    } catch (err) {
      reportError(err);
    } finally {
      setBusy(false);
    }
  };
  const exportAs = async (format: 'pipeline' | 'github' | 'gitlab') => {
    try {
      const file = await api.call('pipelines:export', { name: p.name, format });
      downloadFile(file.fileName, file.text, 'application/yaml');
      setExported(t('pl.detail.exported', { file: file.fileName }));
    } catch (err) {
      reportError(err);
    }
  };
  const remove = async () => {
    try {
      await api.call('pipelines:delete', { name: p.name });
      navigate('pipelines');
    } catch (err) {
      reportError(err);
    }
  };
  const current = p.versions.find((v) => v.version === p.version);
  return (
    <div className="page pl-page pl-detail">
      <p>
        <a href="#/pipelines">← {t('pl.title')}</a>
      </p>
      <div className="pl-title">
        <h1>{p.name}</h1>
        <span className="pl-version" data-testid="pipeline-version">
          {t('pl.detail.versionLine', {
            version: p.version,
            who: current?.createdBy ?? p.createdBy,
            when: time(current?.createdAt ?? p.updatedAt),
          })}
        </span>
        <div className="pl-title__actions">
          <label className="pl-switch">
            <input
              type="checkbox"
              checked={p.enabled}
              onChange={(e) => void api.call('pipelines:setEnabled', { name: p.name, enabled: e.target.checked }).catch(reportError)}
            />
            <span>{p.enabled ? t('pl.detail.enabled') : t('pl.detail.disabled')}</span>
          </label>
          <button type="button" className="btn btn--primary" disabled={busy || p.running} onClick={() => void run()}>
            {p.running ? t('pl.running') : t('pl.runNow')}
          </button>
          <a className="btn" href={`#/pipelines/edit/${encodeURIComponent(p.name)}`}>
            {t('pl.detail.edit')}
          </a>
          <button type="button" className="btn btn--danger" onClick={() => setConfirmDelete(true)}>
            {t('pl.detail.delete')}
          </button>
        </div>
      </div>
      {p.definition.description && <p>{p.definition.description}</p>}
      <p className="muted">
        {p.enabled && p.nextDueAt !== null ? t('pl.detail.next', { when: time(p.nextDueAt) }) : p.enabled ? t('pl.detail.noNext') : t('pl.detail.offNote')}
      </p>
      <section className="card">
        <h2>{t('pl.detail.definition')}</h2>
        <DefinitionFacts def={p.definition} />
        <div className="pl-export" role="group" aria-label={t('pl.detail.export')}>
          <span className="muted">{t('pl.detail.export')}</span>
          <button type="button" className="btn btn--small" onClick={() => void exportAs('pipeline')}>
            {t('pl.detail.exportFile')}
          </button>
          <button type="button" className="btn btn--small" onClick={() => void exportAs('github')}>
            {t('pl.detail.exportGithub')}
          </button>
          <button type="button" className="btn btn--small" onClick={() => void exportAs('gitlab')}>
            {t('pl.detail.exportGitlab')}
          </button>
          {exported && (
            <span className="muted" role="status">
              {exported}
            </span>
          )}
        </div>
        <p className="muted pl-help">{t('pl.detail.exportHelp')}</p>
      </section>
      <section className="card">
        <h2>{t('pl.detail.runs')}</h2>
        <RunsTable runs={p.runs} model={p.definition.model} />
      </section>
      <section className="card">
        <h2>{t('pl.detail.versions', { n: p.versions.length })}</h2>
        <ul className="pl-versions" data-testid="pipeline-versions">
          {p.versions.map((v) => (
            <li key={v.version}>
              <details>
                <summary>
                  <strong>v{v.version}</strong> <span className="muted">{t('pl.detail.editedBy', { who: v.createdBy, when: time(v.createdAt) })}</span>
                  {v.version === p.version && <span className="badge">{t('pl.detail.current')}</span>}
                </summary>
                <DefinitionFacts def={v.definition} />
              </details>
            </li>
          ))}
        </ul>
      </section>
      {confirmDelete && (
        <Dialog
          title={t('pl.detail.deleteTitle', { name: p.name })}
          onClose={() => setConfirmDelete(false)}
          onSubmit={() => void remove()}
          testId="delete-pipeline"
          footer={
            <>
              <button type="button" className="btn" onClick={() => setConfirmDelete(false)}>
                {t('pl.cancel')}
              </button>
              <button type="submit" className="btn btn--primary btn--danger-fill">
                {t('pl.detail.deleteConfirm')}
              </button>
            </>
          }
        >
          <p>{t('pl.detail.deleteBody', { runs: p.runs.length })}</p>
        </Dialog>
      )}
    </div>
  );
}

/** A definition, field by field (the current one, or an older version's). */
export function DefinitionFacts({ def }: { def: PipelineDefinition }) {
  const t = useT();
  const g = def.gates;
  const headline = def.training.task === 'regression' ? 'r2' : 'accuracy';
  const gates: string[] = [];
  if (g.metric) gates.push(`${g.metric.key ?? headline} ${g.metric.op} ${g.metric.threshold}`);
  if (g.maxCvGap !== undefined) gates.push(t('pl.gate.cvGap', { gap: g.maxCvGap }));
  if (g.beatProduction) gates.push(t('pl.gate.beat'));
  return (
    <dl className="facts pl-facts">
      <dt>{t('pl.wiz.source')}</dt>
      <dd>
        <SourceText source={def.source} />
      </dd>
      <dt>{t('pl.wiz.suite')}</dt>
      <dd>{def.validationSuite ?? t('pl.wiz.suiteNone')}</dd>
      <dt>{t('pl.wiz.recipe')}</dt>
      <dd>{def.recipe ?? t('pl.wiz.recipeNone')}</dd>
      <dt>{t('pl.wiz.target')}</dt>
      <dd>
        {def.training.target}{' '}
        <span className="muted">
          · {t('pl.wiz.testingText', { share: Math.round(def.training.testSize * 1000) / 10, folds: def.training.cvFolds, seed: def.training.seed })}
        </span>
      </dd>
      <dt>{t('pl.wiz.step.models')}</dt>
      <dd>
        {def.models
          .map((m) => {
            const p = Object.entries(m.params as Record<string, unknown>)
              .map(([k, v]) => `${k}=${String(v)}`)
              .join(', ');
            return `${t(`exp.algo.${m.algorithm}`)}${p ? ` (${p})` : ''}`;
          })
          .join(' · ')}
        {def.models.length > 1 && <span className="muted"> · {t('pl.detail.bestBy', { metric: def.selectBy.metric ?? headline })}</span>}
      </dd>
      <dt>{t('pl.wiz.modelName')}</dt>
      <dd>
        <a href={`#/registry/${encodeURIComponent(def.model)}`}>{def.model}</a>
      </dd>
      <dt>{t('pl.wiz.gates')}</dt>
      <dd>{gates.length ? gates.join(' · ') : t('pl.wiz.noGates')}</dd>
      <dt>{t('pl.wiz.stage')}</dt>
      <dd>
        {def.stage === 'Staging' ? t('pl.wiz.stageStaging') : t('pl.wiz.stageNone')}
        {def.promotion.toProduction && ` · ${t('pl.wiz.toProductionShort')}${def.promotion.rollbackIfWorse ? ` (${t('pl.wiz.rollbackShort')})` : ''}`}
      </dd>
      <dt>{t('pl.wiz.step.triggers')}</dt>
      <dd data-testid="definition-triggers">{triggerTexts(t, def).join(' · ')}</dd>
    </dl>
  );
}

/** A pipeline's runs: id, trigger, status, start, duration, dataset and model versions, and why it stopped. */
function RunsTable({ runs, model }: { runs: Omit<PipelineRun, 'steps'>[]; model: string }) {
  const t = useT();
  const time = useTime();
  const datasets = useQuery('datasets:list', {}, ['datasets']);
  const labels = new Map<number, string>();
  for (const d of datasets.data ?? []) for (const v of d.versions) labels.set(v.id, `${d.name}@${v.tag}`);
  if (runs.length === 0) return <p className="muted">{t('pl.detail.noRuns')}</p>;
  return (
    <table className="table pl-table" data-testid="pipeline-runs">
      <thead>
        <tr>
          <th>{t('pl.runs.id')}</th>
          <th>{t('pl.runs.trigger')}</th>
          <th>{t('pl.runs.status')}</th>
          <th>{t('pl.runs.started')}</th>
          <th className="num">{t('pl.runs.duration')}</th>
          <th>{t('pl.runs.dataset')}</th>
          <th>{t('pl.runs.model')}</th>
          <th>{t('pl.runs.reason')}</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.id} data-run={r.id} data-status={r.status}>
            <td>
              <a href={`#/pipelines/run/${r.id}`}>#{r.id}</a> <span className="muted">v{r.pipelineVersion}</span>
            </td>
            <td>{t(`pl.trigger.${r.trigger}`)}</td>
            <td>
              <StatusPill status={r.status} />
            </td>
            <td className="pl-nowrap">{time(r.startedAt)}</td>
            <td className="num pl-nowrap">{r.finishedAt !== null ? durationText(r.finishedAt - r.startedAt) : '…'}</td>
            <td>
              {r.datasetVersionId !== null ? (
                <a href={`#/data/version/${r.datasetVersionId}`}>{labels.get(r.datasetVersionId) ?? `#${r.datasetVersionId}`}</a>
              ) : (
                '—'
              )}
            </td>
            <td>
              {r.modelVersion !== null ? <a href={`#/registry/${encodeURIComponent(model)}/${r.modelVersion}`}>v{r.modelVersion}</a> : '—'}
            </td>
            <td className="pl-reason">{r.reason ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
