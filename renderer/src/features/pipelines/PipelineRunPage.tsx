import { useEffect, useState } from 'react';
import type { JobRecord } from '../../../../shared/jobs';
import type { PipelineRun, PipelineStep } from '../../../../shared/pipelines';
import { reportError } from '../../app/errors-store';
import { useRouter } from '../../app/router';
import { useT } from '../../i18n';
import { api } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { GateChecks } from '../registry/register/gate-checks';
import '../registry/registry.css';
import { durationText, RETRYABLE } from './pipeline-format';
import { StatusPill, useTime } from './pipeline-ui';

/**
 * `#/pipelines/run/ID`: one run's steps as a chain of boxes coloured by status,
 * live (refetched on the `pipelines` topic and on its job's events); a step's
 * log lines and links; why the run stopped; Cancel and Retry.
 */
export default function PipelineRunPage({ id }: { id: number }) {
  const t = useT();
  const time = useTime();
  const navigate = useRouter((s) => s.navigate);
  const query = useQuery('pipelines:getRun', { runId: id }, ['pipelines']);
  const run = query.data;
  const pipeline = useQuery('pipelines:get', { name: run?.pipeline ?? '' }, ['pipelines'], { enabled: !!run });
  const [job, setJob] = useState<JobRecord | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reload = query.reload;
  const jobId = run?.jobId ?? null;
  // The job's progress events: the tray's numbers, and a refetch when the job ends (its last step).
  useEffect(() => {
    if (jobId === null) return undefined;
    return api.onEvent((name, payload) => {
      if (name !== 'job' || (payload as JobRecord).id !== jobId) return;
      const j = payload as JobRecord;
      setJob(j);
      if (j.status !== 'running' && j.status !== 'queued') reload();
    });
  }, [jobId, reload]);
  // A running step ticks its clock once a second.
  const [now, setNow] = useState(Date.now());
  const running = run?.status === 'running';
  useEffect(() => {
    if (!running) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);

  if (query.error && !run)
    return (
      <div className="page pl-page">
        <p>
          <a href="#/pipelines">← {t('pl.title')}</a>
        </p>
        <p className="pl-error" role="alert">
          {query.error.message}
        </p>
      </div>
    );
  if (!run) return <div className="page muted">{t('pl.loading')}</div>;
  const model = pipeline.data?.versions.find((v) => v.version === run.pipelineVersion)?.definition.model ?? pipeline.data?.definition.model ?? null;
  // The step shown below the graph: the one clicked, else the running one, else the one that failed, else the last that ran.
  const auto =
    run.steps.find((s) => s.status === 'running') ??
    run.steps.find((s) => s.status === 'failed') ??
    [...run.steps].reverse().find((s) => s.status !== 'pending' && s.status !== 'skipped') ??
    run.steps[0];
  const selected = run.steps.find((s) => s.name === picked) ?? auto;

  const cancel = async () => {
    setBusy(true);
    try {
      await api.call('pipelines:cancel', { runId: run.id });
      reload();
    } catch (err) {
      reportError(err);
    } finally {
      setBusy(false);
    }
  };
  const retry = async () => {
    setBusy(true);
    try {
      const started = await api.call('pipelines:retry', { runId: run.id });
      setPicked(null);
      if (started.run.id !== run.id) navigate('pipelines', 'run', started.run.id);
      else reload();
    } catch (err) {
      reportError(err);
    } finally {
      setBusy(false);
    }
  };
  const end = run.finishedAt ?? now;
  return (
    <div className="page pl-page pl-run" data-status={run.status}>
      <p>
        <a href="#/pipelines">← {t('pl.title')}</a> /{' '}
        <a href={`#/pipelines/p/${encodeURIComponent(run.pipeline)}`}>{run.pipeline}</a>
      </p>
      <div className="pl-title">
        <h1>{t('pl.run.title', { id: run.id, name: run.pipeline })}</h1>
        <StatusPill status={run.status} />
        <div className="pl-title__actions">
          {running && (
            <button type="button" className="btn" disabled={busy} onClick={() => void cancel()}>
              {t('pl.run.cancel')}
            </button>
          )}
          {RETRYABLE.includes(run.status) && (
            <button type="button" className="btn btn--primary" disabled={busy} onClick={() => void retry()}>
              {t('pl.run.retry')}
            </button>
          )}
        </div>
      </div>
      <p className="muted">
        {t('pl.run.facts', {
          trigger: t(`pl.trigger.${run.trigger}`),
          version: run.pipelineVersion,
          started: time(run.startedAt),
          duration: durationText(end - run.startedAt),
          owner: run.owner,
        })}
      </p>
      {running && job && job.progressTotal > 0 && (
        <div className="pl-progress" aria-label={t('pl.run.progress')}>
          <div className="progress">
            <div className="progress__fill" style={{ width: `${Math.round((100 * job.progressDone) / job.progressTotal)}%` }} />
          </div>
          <span className="muted">{job.progressMessage}</span>
        </div>
      )}
      {run.reason && (
        <div className={`pl-banner pl-banner--${run.status}`} role={run.status === 'succeeded' ? 'status' : 'alert'} data-testid="run-reason">
          <strong>{t(`pl.run.stopped.${run.status}`)}</strong> {run.reason}
        </div>
      )}
      <StepGraph run={run} selected={selected.name} onSelect={setPicked} now={now} />
      <StepPanel step={selected} run={run} model={model} now={now} />
    </div>
  );
}

/** The steps as a horizontal chain of boxes, each coloured by status, with its time; a box selects its step. */
function StepGraph({ run, selected, onSelect, now }: { run: PipelineRun; selected: string; onSelect(name: string): void; now: number }) {
  const t = useT();
  return (
    <ol className="pl-graph" aria-label={t('pl.run.steps')} data-testid="step-graph">
      {run.steps.map((s, i) => (
        <li key={s.name} className="pl-graph__item">
          {i > 0 && <span className={`pl-graph__edge pl-graph__edge--${s.status}`} aria-hidden="true" />}
          <button
            type="button"
            className={`pl-step pl-step--${s.status}${s.name === selected ? ' pl-step--selected' : ''}`}
            data-step={s.name}
            data-status={s.status}
            aria-pressed={s.name === selected}
            aria-label={t('pl.run.stepLabel', { step: t(`pl.step.${s.name}`), status: t(`pl.stepStatus.${s.status}`) })}
            onClick={() => onSelect(s.name)}
          >
            <span className="pl-step__name">{t(`pl.step.${s.name}`)}</span>
            <span className="pl-step__status">{t(`pl.stepStatus.${s.status}`)}</span>
            <span className="pl-step__time">{stepTime(s, now)}</span>
          </button>
        </li>
      ))}
    </ol>
  );
}

function stepTime(s: PipelineStep, now: number): string {
  if (s.startedAt === null) return '';
  return durationText((s.finishedAt ?? now) - s.startedAt);
}

/** One step: its status and times, what it produced (links), its gate checks and its log lines. */
function StepPanel({ step, run, model, now }: { step: PipelineStep; run: PipelineRun; model: string | null; now: number }) {
  const t = useT();
  const time = useTime();
  const d = step.detail;
  const links: { label: string; href: string; testId: string }[] = [];
  if (d.datasetVersionId !== undefined)
    links.push({ label: t('pl.run.link.dataset', { label: d.datasetLabel ?? `#${d.datasetVersionId}` }), href: `#/data/version/${d.datasetVersionId}`, testId: 'link-dataset' });
  for (const id of d.runIds ?? []) links.push({ label: t('pl.run.link.experiment', { id: id.slice(0, 8) }), href: `#/experiments/run/${id}`, testId: 'link-experiment' });
  if (d.bestRunId !== undefined && !d.runIds)
    links.push({ label: t('pl.run.link.best', { id: d.bestRunId.slice(0, 8) }), href: `#/experiments/run/${d.bestRunId}`, testId: 'link-best' });
  if (d.modelVersion !== undefined && model)
    links.push({
      label: t('pl.run.link.model', { name: model, version: d.modelVersion, stage: d.stage ?? '' }),
      href: `#/registry/${encodeURIComponent(model)}/${d.modelVersion}`,
      testId: 'link-model',
    });
  return (
    <section className="card pl-step-panel" aria-label={t(`pl.step.${step.name}`)} data-testid="step-panel" data-step={step.name}>
      <div className="pl-section-head">
        <h2>{t(`pl.step.${step.name}`)}</h2>
        <StatusPill status={step.status} kind="step" />
        <span className="muted">
          {step.startedAt !== null
            ? t('pl.run.stepTimes', { started: time(step.startedAt), duration: durationText((step.finishedAt ?? now) - step.startedAt) })
            : t('pl.run.notStarted')}
        </span>
      </div>
      <p className="muted pl-help">{t(`pl.stepHelp.${step.name}`)}</p>
      {d.metric !== undefined && (
        <p>
          {t('pl.run.best', { metric: d.metric, value: typeof d.metricValue === 'number' ? d.metricValue.toFixed(4) : '—' })}
        </p>
      )}
      {d.failedRules && d.failedRules.length > 0 && (
        <ul className="pl-failed-rules">
          {d.failedRules.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
      {d.gates && <GateChecks report={d.gates} />}
      {links.length > 0 && (
        <ul className="pl-links">
          {links.map((l) => (
            <li key={l.href}>
              <a href={l.href} data-testid={l.testId}>
                {l.label}
              </a>
            </li>
          ))}
        </ul>
      )}
      {d.modelVersion === undefined && step.name === 'register' && run.modelVersion !== null && model && (
        <p>
          <a href={`#/registry/${encodeURIComponent(model)}/${run.modelVersion}`} data-testid="link-model">
            {t('pl.run.link.model', { name: model, version: run.modelVersion, stage: '' })}
          </a>
        </p>
      )}
      <h3>{t('pl.run.log')}</h3>
      {step.log.length === 0 ? (
        <p className="muted">{t('pl.run.noLog')}</p>
      ) : (
        <ol className="pl-log" data-testid="step-log">
          {step.log.map((l, i) => (
            <li key={i}>
              <span className="pl-log__at">{new Date(l.at).toLocaleTimeString(t.language === 'ja' ? 'ja-JP' : 'en-GB')}</span>
              <span className="pl-log__text">{l.text}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
