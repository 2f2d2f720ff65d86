import { useEffect, useMemo, useState } from 'react';
import {
  bestRun,
  COMPARE_MAX_RUNS,
  COMPARE_MIN_RUNS,
  defaultBetter,
  defaultCompareMetric,
  formatCompareNumber,
  formatComparisonTarget,
  sharedMetricKeys,
  type Better,
} from '../../../../shared/run-comparison';
import { runIdSchema } from '../../../../shared/tracking';
import { reportError } from '../../app/errors-store';
import { useT } from '../../i18n';
import { RegisterDialog } from '../registry/register/register-dialog';
import { registerBlockedReason } from '../registry/register/run-registry';
import { exportAndSaveReport } from '../reports/report-files';
import { CompareTable } from './compare/CompareTable';
import { HistoryOverlay, ParallelPlot, RocOverlay, ScatterPlot } from './compare/CompareCharts';
import { loadPlotly } from './compare/plotly-chart';
import { useCompareRuns, type CompareRun } from './compare/use-compare-runs';
import './compare/compare.css';

/** Metric axes the parallel-coordinates plot starts with, besides the "best by" one. */
const HEADLINE_METRICS = ['accuracy', 'f1_macro', 'roc_auc', 'r2', 'rmse', 'mae', 'log_loss'];

/** `#/experiments/compare/ID,ID,…`: 2–20 runs side by side, the best run by a metric, charts and the report export. */
export default function ComparePage({ runIds }: { runIds: string[] }) {
  const t = useT();
  const unique = [...new Set(runIds)];
  const bad = unique.filter((id) => !runIdSchema.safeParse(id).success);
  let problem: string | null = null;
  if (unique.length < COMPARE_MIN_RUNS) problem = t('compare.tooFew', { min: COMPARE_MIN_RUNS });
  else if (unique.length > COMPARE_MAX_RUNS) problem = t('compare.tooMany', { max: COMPARE_MAX_RUNS, n: unique.length });
  else if (bad.length > 0) problem = t('compare.badIds', { ids: bad.join(', ') });
  return (
    <div className="page compare-page">
      <p>
        <a href="#/experiments">{t('compare.back')}</a>
      </p>
      <h1>{t('compare.title', { n: unique.length })}</h1>
      {problem ? (
        <p className="empty-state" role="alert">
          {problem}
        </p>
      ) : (
        <Comparison runIds={unique} />
      )}
    </div>
  );
}

function Comparison({ runIds }: { runIds: string[] }) {
  const t = useT();
  const { runs, error } = useCompareRuns(runIds);
  // plotly (~5 MB) loads while the runs are fetched, not after.
  useEffect(() => void loadPlotly().catch(() => undefined), []);
  if (error)
    return (
      <p className="empty-state" role="alert">
        {error.message}
      </p>
    );
  if (!runs) return <p className="muted">{t('compare.loading')}</p>;
  return <Loaded runs={runs} />;
}

function Loaded({ runs }: { runs: CompareRun[] }) {
  const t = useT();
  const metricKeys = useMemo(() => sharedMetricKeys(runs), [runs]);
  const [chosen, setChosen] = useState<string | null>(() => defaultCompareMetric(runs));
  const metric = chosen !== null && metricKeys.includes(chosen) ? chosen : defaultCompareMetric(runs);
  const [flipped, setFlipped] = useState<Record<string, Better>>({});
  const better: Better = metric ? (flipped[metric] ?? defaultBetter(metric)) : 'higher';
  const best = metric ? bestRun(runs, metric, better) : null;
  const bestRunId = best?.run.runId ?? null;
  const [onlyDifferences, setOnlyDifferences] = useState(false);
  const [axisMetrics, setAxisMetrics] = useState<string[]>(() => HEADLINE_METRICS.filter((m) => metricKeys.includes(m)).slice(0, 3));
  const [paper, setPaper] = useState<'A4' | 'Letter'>('A4');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [registering, setRegistering] = useState(false);
  const bestDetail = runs.find((r) => r.runId === bestRunId)?.detail;
  const registerBlocked = bestDetail ? registerBlockedReason(bestDetail, t) : t('compare.best.noMetrics');
  const experiments = [...new Set(runs.map((r) => r.detail.experimentName))];
  const parallelMetrics = useMemo(() => axisMetrics.filter((m) => metricKeys.includes(m)), [axisMetrics, metricKeys]);

  const exportReport = async (format: 'pdf' | 'html') => {
    setBusy(true);
    setStatus(t('compare.export.working'));
    try {
      const targetId = formatComparisonTarget({ runIds: runs.map((r) => r.runId), metric, better });
      const record = await exportAndSaveReport({ reportId: 'run-comparison', targetId, format, paper, language: t.language });
      setStatus(t('compare.export.saved', { file: record.fileName, size: t.bytes(record.size) }));
    } catch (err) {
      setStatus('');
      reportError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p className="muted">{t('compare.subtitle', { experiments: experiments.join(', ') })}</p>
      <section className="card compare-best-card" aria-label={t('compare.best.title')}>
        <div className="compare-controls">
          <label>
            {t('compare.best.by')}{' '}
            <select value={metric ?? ''} onChange={(e) => setChosen(e.target.value)} disabled={metricKeys.length === 0}>
              {metricKeys.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          </label>
          {metric && (
            <button
              type="button"
              className="btn btn--small"
              onClick={() => setFlipped({ ...flipped, [metric]: better === 'higher' ? 'lower' : 'higher' })}
              title={t('compare.best.flip')}
            >
              {better === 'higher' ? `↑ ${t('compare.better.higher')}` : `↓ ${t('compare.better.lower')}`}
            </button>
          )}
          <button
            type="button"
            className="btn"
            onClick={() => setRegistering(true)}
            disabled={registerBlocked !== null}
            title={registerBlocked ?? undefined}
          >
            {t('reg.run.registerBest')}
          </button>
        </div>
        {registering && bestDetail && (
          <RegisterDialog
            runId={bestDetail.info.runId}
            runName={bestDetail.info.name}
            metricKeys={bestDetail.metrics.map((m) => m.key)}
            defaultMetric={metric}
            onClose={() => setRegistering(false)}
          />
        )}
        <p className="compare-best-line" data-testid="best-run">
          {!metric
            ? t('compare.best.noMetrics')
            : best
              ? t('compare.best.is', { name: best.run.name, metric, value: formatCompareNumber(best.value, t.language) })
              : t('compare.best.none', { metric })}
        </p>
      </section>

      <section className="card">
        <div className="compare-section-head">
          <h2>{t('compare.table.title')}</h2>
          <label className="compare-toggle">
            <input type="checkbox" checked={onlyDifferences} onChange={(e) => setOnlyDifferences(e.target.checked)} />{' '}
            {t('compare.table.onlyDifferences')}
          </label>
        </div>
        <CompareTable runs={runs} bestRunId={bestRunId} onlyDifferences={onlyDifferences} />
      </section>

      <section className="card">
        <div className="compare-section-head">
          <h2>{t('compare.parallel.title')}</h2>
          <details className="compare-metric-picks">
            <summary>{t('compare.parallel.metrics', { n: parallelMetrics.length + (metric ? 1 : 0) })}</summary>
            <div className="compare-metric-picks__list">
              {metricKeys
                .filter((k) => k !== metric && !k.startsWith('cv_fold_'))
                .map((k) => (
                  <label key={k}>
                    <input
                      type="checkbox"
                      checked={axisMetrics.includes(k)}
                      onChange={(e) => setAxisMetrics(e.target.checked ? [...axisMetrics, k] : axisMetrics.filter((m) => m !== k))}
                    />{' '}
                    {k}
                  </label>
                ))}
            </div>
          </details>
        </div>
        <ParallelPlot
          runs={runs}
          metric={metric}
          better={better}
          metrics={parallelMetrics}
          bestRunId={bestRunId}
          onAfterPlot={() => performance.mark('mlwb:parcoords-plotted')}
        />
      </section>

      <div className="compare-grid">
        <section className="card">
          <h2>{t('compare.scatter.title')}</h2>
          <ScatterPlot runs={runs} metrics={metricKeys} bestRunId={bestRunId} initialMetric={metric} />
        </section>
        <section className="card">
          <h2>{t('compare.roc.title')}</h2>
          <RocOverlay runs={runs} bestRunId={bestRunId} />
        </section>
      </div>
      <section className="card">
        <h2>{t('compare.history.title')}</h2>
        <HistoryOverlay runs={runs} bestRunId={bestRunId} />
      </section>

      <section className="card compare-export">
        <h2>{t('compare.export.title')}</h2>
        <p className="muted">{t('compare.export.hint')}</p>
        <div className="compare-controls">
          <label>
            {t('compare.export.paper')}{' '}
            <select value={paper} onChange={(e) => setPaper(e.target.value === 'Letter' ? 'Letter' : 'A4')}>
              <option>A4</option>
              <option>Letter</option>
            </select>
          </label>
          <button type="button" className="btn btn--primary" disabled={busy} onClick={() => void exportReport('pdf')}>
            {t('compare.export.pdf')}
          </button>
          <button type="button" className="btn" disabled={busy} onClick={() => void exportReport('html')}>
            {t('compare.export.html')}
          </button>
          <span role="status" className="muted">
            {status}
          </span>
        </div>
      </section>
    </>
  );
}
