import { lazy, Suspense, useEffect, useState } from 'react';
import { useT } from '../../i18n';
import { useQuery } from '../../lib/use-query';
import { RegisteredVersions, RegisterModelButton } from '../registry/register/run-registry';
import { ArtifactsCard } from './run-page/run-artifacts';
import { RunHeader } from './run-page/run-header';
import { NotesCard } from './run-page/run-notes';
import { PastReproductions, ReproduceCard, reproduceBlockedReason, RunJobProgress, useReproduce } from './run-page/run-reproduce';
import { MetricsCard, ParamsCard, TagsCard } from './run-page/run-values';
import './run-page/run-page.css';

const RunCharts = lazy(() => import('./run-page/run-charts'));

/** The clock of a running run's duration, ticking once a second while it runs. */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

/**
 * One run (`#/experiments/run/RUN_ID`): its name, status and facts; params,
 * metrics (CV mean ± std, folds), tags; charts; artifacts; notes; and
 * Reproduce with its verdict. A running run follows its job live.
 */
export default function RunPage({ runId }: { runId: string }) {
  const t = useT();
  const [running, setRunning] = useState(false);
  const run = useQuery('runs:get', { runId }, running ? ['tracking', 'jobs'] : ['tracking']);
  const reproduce = useReproduce(runId);
  const status = run.data?.info.status;
  useEffect(() => setRunning(status === 'RUNNING' || status === 'SCHEDULED'), [status]);
  const now = useNow(running);

  if (run.error && !run.data) {
    return (
      <div className="page run-page">
        <p>
          <a href="#/experiments">← {t('run.back')}</a>
        </p>
        <p className="run-error" role="alert">
          {run.error.message}
        </p>
      </div>
    );
  }
  const d = run.data;
  if (!d) return <div className="page muted">{t('run.loading')}</div>;
  const blocked = reproduceBlockedReason(d, t);
  return (
    <div className="page run-page" data-run-id={d.info.runId}>
      <RunHeader
        run={d}
        now={now}
        onReproduce={reproduce.start}
        reproduceBusy={reproduce.busy}
        reproduceBlocked={blocked}
        actions={<RegisterModelButton run={d} />}
      />
      <RegisteredVersions runId={d.info.runId} />
      {running && d.info.jobId !== null && <RunJobProgress jobId={d.info.jobId} />}
      <ReproduceCard state={reproduce} />
      <PastReproductions run={d} />
      <div className="run-columns">
        <MetricsCard run={d} />
        <ParamsCard run={d} />
      </div>
      <Suspense fallback={<p className="muted">{t('run.loading')}</p>}>
        <RunCharts run={d} />
      </Suspense>
      <div className="run-columns">
        <NotesCard run={d} />
        <TagsCard run={d} />
      </div>
      <ArtifactsCard run={d} />
    </div>
  );
}
