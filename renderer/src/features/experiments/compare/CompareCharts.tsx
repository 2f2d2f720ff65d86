import { useEffect, useMemo, useState } from 'react';
import {
  finiteMetric,
  formatCompareNumber,
  metricColor,
  parallelDimensions,
  parseRocCurve,
  RUN_COLORS,
  type Better,
  type RocCurve,
} from '../../../../../shared/run-comparison';
import { fromWireNumber } from '../../../../../shared/tracking';
import { reportError } from '../../../app/errors-store';
import { useT } from '../../../i18n';
import { api } from '../../../lib/api';
import { PlotlyChart, type PlotlyJson } from './plotly-chart';
import type { CompareRun } from './use-compare-runs';

/** The best run's colour in every chart (the ★ in the table). */
export const BEST_COLOR = '#dc2626';
const MARGIN = { l: 56, r: 24, t: 24, b: 48 };

/** Where a missing value sits on an axis: a "—" slot under the values, so the run's line stays whole. */
function withMissingSlot(values: Array<number | null>, categories?: string[]): PlotlyJson {
  const present = values.filter((v): v is number => v !== null);
  const missing = present.length < values.length;
  if (categories) {
    const tickvals = categories.map((_, i) => i);
    const ticktext = categories.map((c) => (c.length > 16 ? `${c.slice(0, 15)}…` : c));
    return missing
      ? {
          values: values.map((v) => v ?? -1),
          tickvals: [-1, ...tickvals],
          ticktext: ['—', ...ticktext],
          range: [-1, Math.max(0, categories.length - 1)],
        }
      : { values, tickvals, ticktext, range: [0, Math.max(1, categories.length - 1)] };
  }
  if (!missing || present.length === 0) return { values: values.map((v) => v ?? 0) };
  const lo = Math.min(...present);
  const hi = Math.max(...present);
  const span = hi - lo || Math.abs(hi) || 1;
  const slot = lo - span * 0.2;
  const ticks = lo === hi ? [lo] : [lo, lo + (hi - lo) / 2, hi];
  return {
    values: values.map((v) => v ?? slot),
    range: [slot, hi === lo ? hi + span * 0.2 : hi],
    tickvals: [slot, ...ticks],
    ticktext: ['—', ...ticks.map((v) => formatCompareNumber(v))],
  };
}

/**
 * Parallel coordinates (plotly parcoords, WebGL): the params that differ
 * (categorical ones such as the model with their labels) and the chosen
 * metrics, coloured by the "best by" metric from worst (dark) to best
 * (yellow); the best run is drawn red.
 */
export function ParallelPlot({
  runs,
  metric,
  better,
  metrics,
  bestRunId,
  onAfterPlot,
}: {
  runs: CompareRun[];
  metric: string | null;
  better: Better;
  metrics: string[];
  bestRunId: string | null;
  onAfterPlot?: () => void;
}) {
  const t = useT();
  const { data, layout } = useMemo(() => {
    const axisMetrics = metric ? [...metrics.filter((m) => m !== metric), metric] : metrics;
    const dims = parallelDimensions(runs, axisMetrics);
    const colorValues = metric ? runs.map((r) => finiteMetric(r, metric)) : runs.map(() => null);
    const present = colorValues.filter((v): v is number => v !== null);
    const lo = Math.min(...present);
    const hi = Math.max(...present);
    // 0..0.95 is the metric ramp (worst → best); exactly 1 is the best run, drawn red.
    const color = runs.map((r, i) => {
      if (r.runId === bestRunId) return 1;
      const v = colorValues[i];
      if (v === null || present.length === 0) return 0;
      const share = hi === lo ? 1 : (v - lo) / (hi - lo);
      return 0.95 * (better === 'higher' ? share : 1 - share);
    });
    const colorscale = [0, 0.25, 0.5, 0.75, 1]
      .map((s) => [s * 0.95, metricColor(s)])
      .concat([
        [0.97, BEST_COLOR],
        [1, BEST_COLOR],
      ]);
    return {
      data: [
        {
          type: 'parcoords',
          line: { color, colorscale, cmin: 0, cmax: 1, showscale: false },
          labelangle: dims.length > 6 ? -20 : 0,
          labelfont: { size: 12 },
          tickfont: { size: 10 },
          dimensions: dims.map((d) => ({
            label: d.label.length > 24 ? `${d.label.slice(0, 23)}…` : d.label,
            ...withMissingSlot(d.values, d.categories),
          })),
        },
      ] as PlotlyJson[],
      layout: { height: 380, margin: { l: 70, r: 70, t: dims.length > 6 ? 80 : 56, b: 28 } } as PlotlyJson,
    };
  }, [runs, metric, better, metrics, bestRunId]);
  return (
    <figure className="compare-figure">
      <PlotlyChart
        className="compare-plot compare-plot--parcoords"
        data={data}
        layout={layout}
        label={t('compare.parallel.title')}
        onAfterPlot={onAfterPlot}
      />
      <figcaption className="muted">
        {metric ? t('compare.parallel.caption', { metric, better: t(`compare.better.${better}`) }) : t('compare.parallel.noMetric')}{' '}
        <span className="compare-legend-best">{t('compare.parallel.bestLegend')}</span>
      </figcaption>
    </figure>
  );
}

/** One metric against one param, one point per run; the best run is a red star. */
export function ScatterPlot({
  runs,
  metrics,
  bestRunId,
  initialMetric,
}: {
  runs: CompareRun[];
  metrics: string[];
  bestRunId: string | null;
  initialMetric: string | null;
}) {
  const t = useT();
  const params = useMemo(() => [...new Set(runs.flatMap((r) => Object.keys(r.params)))].filter((k) => k !== 'features').sort(), [runs]);
  const [param, setParam] = useState(() => (params.includes('model') ? 'model' : (params[0] ?? '')));
  const [metric, setMetric] = useState(initialMetric ?? metrics[0] ?? '');
  const { data, layout } = useMemo(() => {
    const withValue = runs.filter((r) => r.params[param] !== undefined && finiteMetric(r, metric) !== null);
    const numeric = withValue.every((r) => Number.isFinite(Number(r.params[param])));
    const x = (r: CompareRun) => (numeric ? Number(r.params[param]) : r.params[param]);
    const trace = (list: CompareRun[], best: boolean): PlotlyJson => ({
      type: 'scatter',
      mode: 'markers',
      name: best ? `★ ${t('compare.best.badge')}` : t('compare.scatter.runs'),
      x: list.map(x),
      y: list.map((r) => finiteMetric(r, metric)),
      text: list.map((r) => r.name),
      hovertemplate: `%{text}<br>${param} = %{x}<br>${metric} = %{y}<extra></extra>`,
      marker: best ? { color: BEST_COLOR, size: 16, symbol: 'star' } : { color: '#2563eb', size: 10, opacity: 0.8 },
    });
    return {
      data: [
        trace(
          withValue.filter((r) => r.runId !== bestRunId),
          false,
        ),
        trace(
          withValue.filter((r) => r.runId === bestRunId),
          true,
        ),
      ],
      layout: {
        height: 320,
        margin: MARGIN,
        xaxis: { title: { text: param }, type: numeric ? 'linear' : 'category', automargin: true },
        yaxis: { title: { text: metric }, automargin: true },
        legend: { orientation: 'h', y: 1.12 },
      } as PlotlyJson,
    };
  }, [runs, param, metric, bestRunId, t]);
  return (
    <figure className="compare-figure">
      <div className="compare-controls">
        <label>
          {t('compare.scatter.param')}{' '}
          <select value={param} onChange={(e) => setParam(e.target.value)}>
            {params.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <label>
          {t('compare.scatter.metric')}{' '}
          <select value={metric} onChange={(e) => setMetric(e.target.value)}>
            {metrics.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
      </div>
      <PlotlyChart className="compare-plot" data={data} layout={layout} label={t('compare.scatter.title')} />
    </figure>
  );
}

/** ROC curves of the runs that have a roc_curve.json artifact (binary classification), one colour per run. */
export function RocOverlay({ runs, bestRunId }: { runs: CompareRun[]; bestRunId: string | null }) {
  const t = useT();
  const withRoc = useMemo(() => runs.filter((r) => r.detail.artifacts.some((a) => a.path === 'roc_curve.json')), [runs]);
  const [curves, setCurves] = useState<Record<string, RocCurve | null>>({});
  useEffect(() => {
    let cancelled = false;
    Promise.all(
      withRoc.map((r) =>
        api.call('runs:artifact', { runId: r.runId, path: 'roc_curve.json' }).then((a) => [r.runId, parseRocCurve(a.text)] as const),
      ),
    ).then((entries) => !cancelled && setCurves(Object.fromEntries(entries)), reportError);
    return () => {
      cancelled = true;
    };
  }, [withRoc]);
  const { data, layout } = useMemo(() => {
    const traces: PlotlyJson[] = [
      {
        type: 'scatter',
        mode: 'lines',
        x: [0, 1],
        y: [0, 1],
        line: { dash: 'dash', color: '#98a2b3', width: 1 },
        hoverinfo: 'skip',
        showlegend: false,
      },
    ];
    runs.forEach((r, i) => {
      const c = curves[r.runId];
      if (!c) return;
      const best = r.runId === bestRunId;
      const auc = r.metrics.roc_auc;
      traces.push({
        type: 'scatter',
        mode: 'lines',
        name: `${best ? '★ ' : ''}${r.name}${auc !== undefined ? ` (AUC ${formatCompareNumber(auc)})` : ''}`,
        x: c.fpr,
        y: c.tpr,
        line: { color: best ? BEST_COLOR : RUN_COLORS[i % RUN_COLORS.length], width: best ? 3.5 : 1.8 },
      });
    });
    return {
      data: traces,
      layout: {
        height: 300 + 22 * traces.length,
        margin: MARGIN,
        xaxis: { title: { text: t('compare.roc.fpr') }, range: [0, 1] },
        yaxis: { title: { text: t('compare.roc.tpr') }, range: [0, 1.02] },
        legend: { orientation: 'h', x: 0, y: -0.22, xanchor: 'left', yanchor: 'top' },
      } as PlotlyJson,
    };
  }, [runs, curves, bestRunId, t]);
  if (withRoc.length === 0) return <p className="muted">{t('compare.roc.none')}</p>;
  return <PlotlyChart className="compare-plot" data={data} layout={layout} label={t('compare.roc.title')} />;
}

/** A per-step series (CV folds, boosting losses, OOB error) of every run that logged it. */
export function HistoryOverlay({ runs, bestRunId }: { runs: CompareRun[]; bestRunId: string | null }) {
  const t = useT();
  const keys = useMemo(() => [...new Set(runs.flatMap((r) => r.detail.seriesKeys))].sort(), [runs]);
  const preferred = keys.find((k) => k === 'validation_loss') ?? keys.find((k) => k.startsWith('cv_fold_')) ?? keys[0] ?? '';
  const [key, setKey] = useState(preferred);
  const current = keys.includes(key) ? key : preferred;
  const [history, setHistory] = useState<Record<string, Record<string, Array<{ value: number | string; step: number }>>>>({});
  useEffect(() => {
    if (!current) return undefined;
    let cancelled = false;
    const ids = runs.filter((r) => r.detail.seriesKeys.includes(current)).map((r) => r.runId);
    if (ids.length === 0) return undefined;
    api.call('runs:metricHistory', { runIds: ids, keys: [current] }).then((h) => !cancelled && setHistory(h), reportError);
    return () => {
      cancelled = true;
    };
  }, [runs, current]);
  const { data, layout } = useMemo(() => {
    const traces: PlotlyJson[] = [];
    runs.forEach((r, i) => {
      const points = history[r.runId]?.[current];
      if (!points) return;
      const best = r.runId === bestRunId;
      traces.push({
        type: 'scatter',
        mode: points.length > 30 ? 'lines' : 'lines+markers',
        name: `${best ? '★ ' : ''}${r.name}`,
        x: points.map((p) => p.step),
        // NaN and ±∞ leave a gap.
        y: points.map((p) => {
          const v = fromWireNumber(p.value as never);
          return Number.isFinite(v) ? v : null;
        }),
        line: { color: best ? BEST_COLOR : RUN_COLORS[i % RUN_COLORS.length], width: best ? 3 : 1.6 },
      });
    });
    return {
      data: traces,
      layout: {
        height: 320,
        margin: MARGIN,
        xaxis: { title: { text: t('compare.history.step') } },
        yaxis: { title: { text: current } },
        legend: { x: 1.02, y: 1, xanchor: 'left' },
      } as PlotlyJson,
    };
  }, [runs, history, current, bestRunId, t]);
  if (keys.length === 0) return <p className="muted">{t('compare.history.none')}</p>;
  return (
    <figure className="compare-figure">
      <div className="compare-controls">
        <label>
          {t('compare.history.series')}{' '}
          <select value={current} onChange={(e) => setKey(e.target.value)}>
            {keys.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
      </div>
      <PlotlyChart className="compare-plot" data={data} layout={layout} label={t('compare.history.title')} />
    </figure>
  );
}
