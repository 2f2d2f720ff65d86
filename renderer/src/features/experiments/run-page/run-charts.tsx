/**
 * The run's charts (loaded lazily with recharts): confusion matrix heat map,
 * ROC and PR curves (binary classification), feature importance, and a line
 * chart per group of step series with a step / time axis switch.
 */
import { useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { fromWireNumber, SYSTEM_TAGS, type MetricHistoryPoint, type RunDetail } from '../../../../../shared/tracking';
import { useT } from '../../../i18n';
import { api } from '../../../lib/api';
import { ConfusionMatrix, ImportanceChart, thinCurve } from '../charts';
import { UnitCurveChart } from './curve-chart';
import { useArtifactJson } from './run-artifacts';
import { groupSeries, isFoldKey, seriesPoints } from './run-format';
import { useCall } from './use-run-data';

const TOP_FEATURES = 15;
const COLORS = ['#2f6fed', '#e8590c', '#1f9d55', '#9c36b5', '#d92d20', '#0c8599', '#f08c00', '#495057'];

interface Confusion {
  labels: string[];
  matrix: number[][];
}
interface Roc {
  fpr: number[];
  tpr: number[];
}
interface Pr {
  precision: number[];
  recall: number[];
}
interface Importance {
  features: string[];
  impurity: number[];
  permutation?: { mean: number[]; std: number[] };
}

function Segmented<V extends string>({
  value,
  options,
  onChange,
  label,
}: {
  value: V;
  options: [V, string][];
  onChange(v: V): void;
  label: string;
}) {
  return (
    <div className="segmented run-switch" role="radiogroup" aria-label={label}>
      {options.map(([v, text]) => (
        <label key={v} className={`segmented__item${v === value ? ' segmented__item--on' : ''}`}>
          <input type="radio" name={label} checked={v === value} onChange={() => onChange(v)} />
          {text}
        </label>
      ))}
    </div>
  );
}

function ClassificationCharts({ run }: { run: RunDetail }) {
  const t = useT();
  const confusion = useArtifactJson<Confusion>(run, 'confusion_matrix.json');
  const roc = useArtifactJson<Roc>(run, 'roc_curve.json');
  const pr = useArtifactJson<Pr>(run, 'pr_curve.json');
  const auc = run.metrics.find((m) => m.key === 'roc_auc');
  const classes = confusion.data?.labels.length ?? 0;
  return (
    <>
      {confusion.present && (
        <section className="card run-card" aria-label={t('run.confusion')}>
          <h2>{t('run.confusion')}</h2>
          {confusion.data ? (
            <ConfusionMatrix
              matrix={confusion.data.matrix}
              classes={confusion.data.labels}
              trueLabel={t('run.trueClass')}
              predictedLabel={t('run.predictedClass')}
              caption={t('run.confusion')}
            />
          ) : (
            <p className="muted">{confusion.error?.message ?? t('run.loading')}</p>
          )}
          <p className="muted run-caption run-caption--narrow">{t('run.confusionCaption')}</p>
        </section>
      )}
      {roc.present && roc.data && (
        <section className="card run-card" aria-label={t('run.roc')}>
          <h2>{auc ? t('run.rocAuc', { auc: fromWireNumber(auc.value).toFixed(4) }) : t('run.roc')}</h2>
          <UnitCurveChart
            points={roc.data.fpr.map((x, i) => ({ x, y: roc.data!.tpr[i] }))}
            xLabel={t('run.fpr')}
            yLabel={t('run.tpr')}
            diagonal
            label={t('run.roc')}
          />
        </section>
      )}
      {pr.present && pr.data && (
        <section className="card run-card" aria-label={t('run.pr')}>
          <h2>{t('run.pr')}</h2>
          <UnitCurveChart
            points={pr.data.recall.map((x, i) => ({ x, y: pr.data!.precision[i] }))}
            xLabel={t('run.recall')}
            yLabel={t('run.precision')}
            label={t('run.pr')}
            color="#1f9d55"
          />
        </section>
      )}
      {!roc.present && confusion.present && (
        <section className="card run-card run-card--note">
          <h2>{t('run.curves')}</h2>
          <p className="muted" data-testid="curves-binary-only">
            {t('run.curvesBinaryOnly', { n: classes })}
          </p>
        </section>
      )}
    </>
  );
}

function ImportanceCard({ run }: { run: RunDetail }) {
  const t = useT();
  const importance = useArtifactJson<Importance>(run, 'feature_importance.json');
  const [kind, setKind] = useState<'impurity' | 'permutation'>('impurity');
  if (!importance.present) return null;
  const data = importance.data;
  const perm = data?.permutation;
  const shown = kind === 'permutation' && perm ? 'permutation' : 'impurity';
  const model = run.tags[SYSTEM_TAGS.modelType];
  const builtIn = model === 'logreg' || model === 'linear' ? t('run.coefficients') : t('run.impurity');
  const rows = data
    ? data.features
        .map((name, i) => (shown === 'permutation' ? { name, value: perm!.mean[i], std: perm!.std[i] } : { name, value: data.impurity[i] }))
        .filter((r) => Number.isFinite(r.value))
        .sort((a, b) => b.value - a.value)
        .slice(0, TOP_FEATURES)
    : [];
  return (
    <section className="card run-card" aria-label={t('run.importance')}>
      <div className="run-card__head">
        <h2>{t('run.importance')}</h2>
        {perm && (
          <Segmented<'impurity' | 'permutation'>
            value={shown}
            label={t('run.importanceKind')}
            onChange={setKind}
            options={[
              ['impurity', builtIn],
              ['permutation', t('run.permutation')],
            ]}
          />
        )}
      </div>
      {data ? (
        <>
          <ImportanceChart rows={rows} label={t('run.importance')} valueLabel={shown === 'permutation' ? t('run.permutation') : builtIn} />
          <p className="muted run-caption">
            {shown === 'permutation'
              ? t('run.permutationCaption')
              : t('run.importanceCaption', { n: Math.min(TOP_FEATURES, data.features.length), total: data.features.length })}
          </p>
        </>
      ) : (
        <p className="muted">{importance.error?.message ?? t('run.loading')}</p>
      )}
    </section>
  );
}

type Axis = 'step' | 'time';

function SeriesChart({
  title,
  keys,
  history,
  axis,
}: {
  title: string;
  keys: string[];
  history: Record<string, MetricHistoryPoint[]>;
  axis: Axis;
}) {
  const t = useT();
  // One origin for the chart, so lines logged at different moments keep their offsets.
  const origin = Math.min(...keys.flatMap((k) => (history[k] ?? []).map((p) => p.timestamp)));
  const lines = keys.map((k) => ({ key: k, ...seriesPoints(history[k] ?? [], axis, origin) }));
  const skipped = lines.reduce((s, l) => s + l.skipped, 0);
  const span = Math.max(0, ...lines.flatMap((l) => l.points.map((p) => p.x)));
  return (
    <div className="run-series" data-series={keys.join(',')}>
      <h3>{title}</h3>
      <div role="img" aria-label={t('run.seriesOf', { name: title })}>
        <LineChart width={520} height={260} margin={{ top: 8, right: 16, bottom: 22, left: 4 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="x"
            type="number"
            domain={['dataMin', 'dataMax']}
            allowDuplicatedCategory={false}
            tick={{ fontSize: 11 }}
            label={{
              value: axis === 'step' ? t('run.axisStep') : t('run.axisSeconds'),
              position: 'insideBottom',
              offset: -12,
              fontSize: 12,
            }}
          />
          <YAxis
            type="number"
            domain={['auto', 'auto']}
            tick={{ fontSize: 11 }}
            width={56}
            tickFormatter={(v: number) =>
              Math.abs(v) >= 1000 || (v !== 0 && Math.abs(v) < 0.01) ? v.toExponential(1) : String(Number(v.toFixed(3)))
            }
          />
          <Tooltip
            formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))}
            labelFormatter={(v) => `${axis === 'step' ? t('run.axisStep') : t('run.axisSeconds')} ${v}`}
          />
          {keys.length > 1 && <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 12 }} />}
          {lines.map((l, i) => (
            <Line
              key={l.key}
              data={thinCurve(l.points, 1000)}
              dataKey="y"
              name={l.key}
              stroke={COLORS[i % COLORS.length]}
              dot={l.points.length < 30}
              strokeWidth={2}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </div>
      {axis === 'time' && span === 0 && <p className="muted run-caption">{t('run.sameMoment')}</p>}
      {skipped > 0 && <p className="muted run-caption">{t('run.skippedPoints', { n: skipped })}</p>}
    </div>
  );
}

function SeriesCard({ run }: { run: RunDetail }) {
  const t = useT();
  const [axis, setAxis] = useState<Axis>('step');
  // Per-fold keys step through folds, not training: they are the metrics card's fold table.
  const keys = run.seriesKeys.filter((k) => !isFoldKey(k));
  const stamp = run.metrics.map((m) => `${m.key}:${m.step}:${m.timestamp}`).join('|');
  const history = useCall<Record<string, MetricHistoryPoint[]>>(
    keys.length ? `${run.info.runId}|${keys.join(',')}|${stamp}` : null,
    async () => {
      const out: Record<string, MetricHistoryPoint[]> = {};
      // The channel takes at most 50 keys a call.
      for (let i = 0; i < keys.length; i += 50)
        Object.assign(
          out,
          (await api.call('runs:metricHistory', { runIds: [run.info.runId], keys: keys.slice(i, i + 50) }))[run.info.runId],
        );
      return out;
    },
  );
  if (keys.length === 0) return null;
  return (
    <section className="card run-card run-card--wide" aria-label={t('run.series')}>
      <div className="run-card__head">
        <h2>{t('run.series')}</h2>
        <Segmented<Axis>
          value={axis}
          label={t('run.axis')}
          onChange={setAxis}
          options={[
            ['step', t('run.axisStepOption')],
            ['time', t('run.axisTimeOption')],
          ]}
        />
      </div>
      {history.error && <p className="run-inline-error">{history.error.message}</p>}
      {history.data ? (
        <div className="run-series-grid">
          {groupSeries(keys).map((g) => (
            <SeriesChart key={g.title} title={g.title} keys={g.keys} history={history.data!} axis={axis} />
          ))}
        </div>
      ) : (
        !history.error && <p className="muted">{t('run.loading')}</p>
      )}
    </section>
  );
}

/** Every chart the run's artifacts and series allow. */
export default function RunCharts({ run }: { run: RunDetail }) {
  return (
    <div className="run-charts">
      <ClassificationCharts run={run} />
      <ImportanceCard run={run} />
      <SeriesCard run={run} />
    </div>
  );
}
