import { useEffect, useState } from 'react';
import {
  MONITORING_LIMITS,
  WINDOW_SIZES,
  type MonitorSettings,
  type PredictionMonitor,
  type WindowSize,
} from '../../../../shared/monitoring';
import { reportError } from '../../app/errors-store';
import { useT } from '../../i18n';
import { api } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { ClassSharesChart, PredictionBarsChart, TimeLineChart } from './drift-charts';
import { formatStat, newCheckHref } from './monitoring-format';

/** `#/monitoring/model/NAME`: prediction monitoring of a served model — settings, windows over time, drift vs its test split, actual labels. */
export default function ModelMonitorPage({ name }: { name: string }) {
  const t = useT();
  const settings = useQuery('monitoring:settings', { name }, ['monitoring']);
  const [window, setWindow] = useState<WindowSize | null>(null);
  const chosenWindow = window ?? settings.data?.window ?? '1d';
  const monitor = useQuery('monitoring:predictions', { name, window: chosenWindow }, ['monitoring', 'serving'], {
    enabled: !!settings.data,
  });
  const model = useQuery('registry:model', { name }, ['registry']);
  const latest = model.data?.versions[0];
  return (
    <div className="page mon-page mon-model" data-model={name}>
      <p className="mon-crumb">
        <a href="#/monitoring">{t('mon.title')}</a> / <a href={`#/registry/${encodeURIComponent(name)}`}>{name}</a>
      </p>
      <div className="mon-title">
        <h1>{t('mon.model.title', { name })}</h1>
        <div className="mon-title__actions">
          {latest && (
            <a className="btn" href={newCheckHref({ model: name, version: latest.version })}>
              {t('mon.model.checkDrift')}
            </a>
          )}
        </div>
      </div>
      {settings.error && !settings.data && (
        <p className="mon-error" role="alert">
          {settings.error.message}
        </p>
      )}
      {settings.data && <SettingsCard key={JSON.stringify(settings.data)} settings={settings.data} />}
      {settings.data && (
        <section className="card" aria-label={t('mon.model.windows')}>
          <div className="mon-section-head">
            <h2>{t('mon.model.windows')}</h2>
            <label className="mon-inline">
              {t('mon.model.window')}
              <select value={chosenWindow} onChange={(e) => setWindow(e.target.value as WindowSize)}>
                {WINDOW_SIZES.map((w) => (
                  <option key={w} value={w}>
                    {t(`mon.window.${w}`)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {monitor.error && !monitor.data && <p className="mon-error">{monitor.error.message}</p>}
          {monitor.data && <Windows monitor={monitor.data} window={chosenWindow} />}
        </section>
      )}
      {settings.data && <ImportActuals name={name} />}
    </div>
  );
}

function SettingsCard({ settings: s }: { settings: MonitorSettings }) {
  const t = useT();
  const [enabled, setEnabled] = useState(s.enabled);
  const [window, setWindow] = useState<WindowSize>(s.window);
  const [threshold, setThreshold] = useState(String(s.threshold));
  const [status, setStatus] = useState('');
  const value = Number(threshold);
  const bad = !(threshold.trim() !== '' && Number.isFinite(value) && value <= 1);
  const dirty = enabled !== s.enabled || window !== s.window || value !== s.threshold;
  const save = () =>
    api
      .call('monitoring:setSettings', { name: s.name, enabled, window, threshold: value })
      .then(() => setStatus(t('mon.model.saved')), reportError);
  return (
    <section className="card" aria-label={t('mon.model.settings')}>
      <h2>{t('mon.model.settings')}</h2>
      <form
        className="form-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!bad) void save();
        }}
      >
        <label className="mon-check">
          <input type="checkbox" checked={enabled} onChange={(e) => (setEnabled(e.target.checked), setStatus(''))} />
          {t('mon.model.enabled')}
        </label>
        <label>
          {t('mon.model.window')}
          <select value={window} onChange={(e) => (setWindow(e.target.value as WindowSize), setStatus(''))}>
            {WINDOW_SIZES.map((w) => (
              <option key={w} value={w}>
                {t(`mon.window.${w}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('mon.model.threshold')}
          <input type="number" step="any" max="1" value={threshold} onChange={(e) => (setThreshold(e.target.value), setStatus(''))} />
        </label>
        <button type="submit" className="btn btn--primary" disabled={!dirty || bad}>
          {t('mon.model.save')}
        </button>
        <span className={bad ? 'mon-why' : 'muted'} role="status">
          {bad ? t('mon.model.badThreshold') : status || t('mon.model.thresholdHint', { d: MONITORING_LIMITS.defaultAccuracyThreshold })}
        </span>
      </form>
    </section>
  );
}

function Windows({ monitor: m, window }: { monitor: PredictionMonitor; window: WindowSize }) {
  const t = useT();
  const fmt = (at: number) =>
    t.dateTime(
      new Date(at).toISOString(),
      window === '1d' || window === '7d' ? { month: 'short', day: 'numeric' } : { month: 'short', day: 'numeric', hour: '2-digit' },
    );
  if (m.windows.length === 0) return <p className="muted">{t('mon.model.noPredictions')}</p>;
  const labelled = m.windows.some((w) => w.labelled > 0);
  const classification = m.task === 'classification';
  const series = (pick: (w: PredictionMonitor['windows'][number]) => number | null) =>
    m.windows.map((w) => ({ at: w.start, value: pick(w) }));
  const d = m.predictionDrift;
  return (
    <>
      {d ? (
        <div className="mon-pred-drift" data-testid="prediction-drift" data-drifted={d.drifted ? 'true' : 'false'}>
          <p className={d.drifted ? 'mon-recommend mon-recommend--retrain' : 'mon-recommend'}>
            {t('mon.model.predDriftLine', {
              version: d.version,
              test: d.test === 'ks' ? 'KS D' : 'χ²',
              stat: formatStat(d.statistic),
              p: formatStat(d.pValue),
              verdict: d.drifted ? t('mon.model.predDrifted') : t('mon.model.predNoDrift'),
            })}{' '}
            <span className="muted">{t('mon.model.predDriftRows', { rows: t.number(d.rows), test: t.number(d.testRows), thr: d.pThreshold })}</span>
          </p>
          {d.bars.length > 0 && (
            <PredictionBarsChart
              bars={d.bars}
              label={t('mon.model.predDriftChart')}
              names={{ test: t('mon.model.predTest'), logged: t('mon.model.predServed') }}
            />
          )}
        </div>
      ) : (
        m.predictionDriftNote && (
          <p className="muted mon-hint" data-testid="prediction-drift-note">
            {t('mon.model.predDriftNone', { why: m.predictionDriftNote })}
          </p>
        )
      )}
      <div className="mon-charts">
        <div>
          <h3>{t('mon.model.count')}</h3>
          <TimeLineChart points={series((w) => w.count)} label={t('mon.model.count')} seriesName={t('mon.model.count')} formatTime={fmt} />
        </div>
        <div>
          <h3>{classification ? t('mon.model.classShares') : t('mon.model.mean')}</h3>
          {classification ? (
            <ClassSharesChart windows={m.windows} label={t('mon.model.classShares')} formatTime={fmt} />
          ) : (
            <TimeLineChart points={series((w) => w.mean)} label={t('mon.model.mean')} seriesName={t('mon.model.mean')} formatTime={fmt} />
          )}
        </div>
        {labelled && (
          <div>
            <h3>{classification ? t('mon.model.accuracy') : t('mon.model.r2')}</h3>
            <TimeLineChart
              points={series((w) => (classification ? w.accuracy : w.r2))}
              label={classification ? t('mon.model.accuracy') : t('mon.model.r2')}
              seriesName={classification ? t('mon.model.accuracy') : t('mon.model.r2')}
              threshold={m.settings.threshold}
              thresholdLabel={t('mon.model.thresholdLine', { v: m.settings.threshold })}
              formatTime={fmt}
            />
          </div>
        )}
        {labelled && (
          <div>
            <h3>{classification ? t('mon.model.f1') : t('mon.model.rmse')}</h3>
            <TimeLineChart
              points={series((w) => (classification ? w.f1 : w.rmse))}
              label={classification ? t('mon.model.f1') : t('mon.model.rmse')}
              seriesName={classification ? t('mon.model.f1') : t('mon.model.rmse')}
              formatTime={fmt}
            />
          </div>
        )}
      </div>
      {!labelled && <p className="muted mon-hint">{t('mon.model.noLabels')}</p>}
      <table className="table mon-table" data-testid="prediction-windows">
        <thead>
          <tr>
            <th>{t('mon.model.start')}</th>
            <th className="num">{t('mon.model.count')}</th>
            <th className="num">{t('mon.model.labelled')}</th>
            <th className="num">{classification ? t('mon.model.accuracy') : t('mon.model.r2')}</th>
            <th className="num">{classification ? t('mon.model.f1') : t('mon.model.rmse')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {m.windows.map((w) => (
            <tr key={w.start} className={w.belowThreshold ? 'mon-col--drift' : undefined}>
              <td className="mon-nowrap">{fmt(w.start)}</td>
              <td className="num">{t.number(w.count)}</td>
              <td className="num">{t.number(w.labelled)}</td>
              <td className="num">{formatStat(classification ? w.accuracy : w.r2)}</td>
              <td className="num">{formatStat(classification ? w.f1 : w.rmse)}</td>
              <td>{w.belowThreshold && <span className="mon-pill mon-pill--drift">{t('mon.model.below')}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {m.labelledSets.length > 0 && <LabelledSets monitor={m} />}
    </>
  );
}

/** Scored files whose actual label column was imported (batch predictions are not in the log, so they are scored per file). */
function LabelledSets({ monitor: m }: { monitor: PredictionMonitor }) {
  const t = useT();
  const classification = m.task === 'classification';
  return (
    <>
      <h3>{t('mon.model.scoredFiles')}</h3>
      <table className="table mon-table" data-testid="labelled-sets">
        <thead>
          <tr>
            <th>{t('mon.model.scoredFile')}</th>
            <th>{t('mon.model.importedAt')}</th>
            <th className="num">{t('mon.model.labelled')}</th>
            <th className="num">{classification ? t('mon.model.accuracy') : t('mon.model.r2')}</th>
            <th className="num">{classification ? t('mon.model.f1') : t('mon.model.rmse')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {m.labelledSets.map((s) => (
            <tr key={s.id} className={s.belowThreshold ? 'mon-col--drift' : undefined}>
              <td>
                {s.sourceLabel}
                {s.version !== null ? ` (v${s.version})` : ''}
              </td>
              <td className="mon-nowrap">{t.dateTime(new Date(s.at).toISOString())}</td>
              <td className="num">{t.number(s.labelled)}</td>
              <td className="num">{formatStat(classification ? s.accuracy : s.r2)}</td>
              <td className="num">{formatStat(classification ? s.f1 : s.rmse)}</td>
              <td>{s.belowThreshold && <span className="mon-pill mon-pill--drift">{t('mon.model.below')}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function ImportActuals({ name }: { name: string }) {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [idColumn, setIdColumn] = useState('prediction_id');
  const [actualColumn, setActualColumn] = useState('actual');
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setError(null), [file, idColumn, actualColumn]);
  const run = async () => {
    if (!file) return setError(t('mon.model.pickFile'));
    try {
      const r = await api.call('monitoring:importActuals', { name, file: await api.stageFile(file), idColumn, actualColumn });
      setStatus(
        r.mode === 'scored-file'
          ? t('mon.model.importedScored', { rows: r.rows, labelled: r.matched, alerts: r.alerts })
          : t('mon.model.imported', { rows: r.rows, matched: r.matched, unmatched: r.unmatched, alerts: r.alerts }),
      );
    } catch (err) {
      setStatus('');
      setError((err as Error).message);
    }
  };
  return (
    <section className="card" aria-label={t('mon.model.actuals')}>
      <h2>{t('mon.model.actuals')}</h2>
      <p className="muted mon-hint">{t('mon.model.actualsHint')}</p>
      <form
        className="form-row"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <input
          type="file"
          accept=".csv,text/csv"
          aria-label={t('mon.model.actualsFile')}
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        <label>
          {t('mon.model.idColumn')}
          <input value={idColumn} onChange={(e) => setIdColumn(e.target.value)} maxLength={1000} />
        </label>
        <label>
          {t('mon.model.actualColumn')}
          <input value={actualColumn} onChange={(e) => setActualColumn(e.target.value)} maxLength={1000} />
        </label>
        <button type="submit" className="btn">
          {t('mon.model.import')}
        </button>
        <span className="muted" role="status">
          {status}
        </span>
      </form>
      {error && (
        <p className="mon-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
