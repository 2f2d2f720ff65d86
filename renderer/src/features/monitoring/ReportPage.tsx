import { Fragment, useState } from 'react';
import type { ColumnDriftResult } from '../../../../shared/drift';
import type { DriftCheck } from '../../../../shared/monitoring';
import { reportError } from '../../app/errors-store';
import { useRouter } from '../../app/router';
import { useT } from '../../i18n';
import { api, downloadFile } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { exportAndSaveReport } from '../reports/report-files';
import { OverlayChart } from './drift-charts';
import { Verdict } from './MonitoringHome';
import { formatShare, formatShift, formatStat, orderColumns } from './monitoring-format';

/** `#/monitoring/check/ID`: one drift report — summary, method, one row per column (drifting first) with its overlay. */
export default function ReportPage({ id }: { id: number }) {
  const t = useT();
  const check = useQuery('monitoring:check', { id }, ['monitoring']);
  if (check.error && !check.data)
    return (
      <div className="page mon-page">
        <p className="mon-crumb">
          <a href="#/monitoring">{t('mon.title')}</a>
        </p>
        <p className="mon-error" role="alert">
          {check.error.message}
        </p>
      </div>
    );
  if (!check.data) return <div className="page muted">{t('mon.loading')}</div>;
  return <Report check={check.data} />;
}

function Report({ check: c }: { check: DriftCheck }) {
  const t = useT();
  const r = c.result;
  const s = r.summary;
  const rows = orderColumns(r.columns);
  const methodLine =
    r.rule === 'chapter'
      ? t('mon.report.methodChapter', { p: r.settings.pThreshold })
      : t('mon.report.methodEvidently', {
          p: r.settings.pThreshold,
          w: r.settings.wassersteinThreshold,
          js: r.settings.jensenShannonThreshold,
        });
  return (
    <div className="page mon-page mon-report" data-check={c.id}>
      <p className="mon-crumb">
        <a href="#/monitoring">{t('mon.title')}</a>
      </p>
      <div className="mon-title">
        <h1>{t('mon.report.title', { id: c.id })}</h1>
        <Verdict drift={s.datasetDrift} />
        <div className="mon-title__actions">
          <ExportButtons check={c} />
        </div>
      </div>
      <p className="muted">
        {c.baselineLabel} → {c.currentLabel} · {t.dateTime(new Date(c.createdAt).toISOString())}
        {c.createdBy ? ` · ${c.createdBy}` : ''}
      </p>

      <section className="card mon-summary" aria-label={t('mon.report.summary')}>
        <div className="mon-figures">
          <Figure
            label={t('mon.report.share')}
            value={formatShare(s.driftShare)}
            sub={t('mon.report.ofTested', { n: s.drifted, of: s.tested })}
            testId="drift-share"
          />
          <Figure label={t('mon.report.threshold')} value={formatShare(s.driftShareThreshold)} sub={t('mon.report.thresholdSub')} />
          <Figure
            label={t('mon.report.datasetDrift')}
            value={s.datasetDrift ? t('mon.report.yes') : t('mon.report.no')}
            sub={s.notTested > 0 ? t('mon.report.notTestedN', { n: s.notTested }) : t('mon.report.allTested')}
          />
          <Figure
            label={t('mon.report.rows')}
            value={`${t.number(r.baselineRows)} → ${t.number(r.currentRows)}`}
            sub={t('mon.report.rowsSub')}
          />
        </div>
        <p className={s.retrainingRecommended ? 'mon-recommend mon-recommend--retrain' : 'mon-recommend'} data-testid="recommendation">
          <strong>{s.retrainingRecommended ? t('mon.report.retrain') : t('mon.report.noRetrain')}</strong> {s.message}
        </p>
        <p className="muted mon-hint" data-testid="method">
          {t('mon.report.method')}: {methodLine}
          {r.settings.ksMethod !== 'auto' ? ` · KS ${r.settings.ksMethod}` : ''}
        </p>
      </section>

      <section className="card" aria-label={t('mon.report.columns')}>
        <h2>{t('mon.report.columns')}</h2>
        <p className="muted mon-hint">{t('mon.report.expandHint')}</p>
        <div className="mon-table-wrap">
          <table className="table mon-table mon-columns-table" data-testid="drift-columns">
            <thead>
              <tr>
                <th>{t('mon.report.column')}</th>
                <th>{t('mon.report.type')}</th>
                <th>{t('mon.report.test')}</th>
                <th className="num">{t('mon.report.statistic')}</th>
                <th className="num">{t('mon.report.pOrDistance')}</th>
                <th>{t('mon.report.verdict')}</th>
                <th className="num">{t('mon.report.mean')}</th>
                <th className="num">{t('mon.report.std')}</th>
                <th className="num">{t('mon.report.missing')}</th>
                <th className="num">{t('mon.report.shift')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((col) => (
                <ColumnRow key={col.column} col={col} />
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

function Figure({ label, value, sub, testId }: { label: string; value: string; sub: string; testId?: string }) {
  return (
    <div className="mon-figure" data-testid={testId}>
      <span className="mon-figure__label">{label}</span>
      <span className="mon-figure__value">{value}</span>
      <span className="muted mon-figure__sub">{sub}</span>
    </div>
  );
}

/** Baseline over current in one cell, so the wide table keeps its statistics readable. */
function Pair({ a, b }: { a: string; b: string }) {
  if (a === '—' && b === '—') return <>—</>;
  return (
    <span className="mon-pair-cell">
      <span>{a}</span>
      <span className="muted">→ {b}</span>
    </span>
  );
}

function ColumnRow({ col }: { col: ColumnDriftResult }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const tested = col.status !== 'not-tested';
  const num = (v: number | null) => formatStat(v);
  const typeLabel =
    col.currentType && col.currentType !== col.type
      ? `${t(`mon.type.${col.type}`)} → ${t(`mon.type.${col.currentType}`)}`
      : t(`mon.type.${col.type}`);
  const verdict =
    col.status === 'drift' ? t('mon.status.drift') : col.status === 'no-drift' ? t('mon.status.noDrift') : t('mon.status.notTested');
  const canExpand = col.chart !== null;
  return (
    <Fragment>
      <tr className={`mon-col mon-col--${col.status}`} data-column={col.column} data-status={col.status}>
        <td>
          {canExpand ? (
            <button type="button" className="mon-expand" aria-expanded={open} onClick={() => setOpen(!open)} title={t('mon.report.expand')}>
              <span aria-hidden="true">{open ? '▾' : '▸'}</span> {col.column}
            </button>
          ) : (
            <span className="mon-expand mon-expand--none">{col.column}</span>
          )}
        </td>
        <td className="mon-nowrap">{typeLabel}</td>
        <td className="mon-nowrap">{col.test ? t(`mon.test.${col.test}`) : '—'}</td>
        {tested ? (
          <>
            <td className="num">{num(col.statistic)}</td>
            <td className="num">
              <span className="mon-pair-cell">
                <span>{col.pValue !== null ? `p ${num(col.pValue)}` : num(col.distance)}</span>
                <span className="muted">
                  {t('mon.report.driftIf', { rule: col.pValue !== null ? `< ${num(col.threshold)}` : `> ${num(col.threshold)}` })}
                </span>
              </span>
            </td>
          </>
        ) : (
          <td colSpan={2} className="muted mon-reason" data-testid="reason">
            {t(`mon.reason.${col.reasonCode}`)}
          </td>
        )}
        <td>
          <span className={`mon-pill mon-pill--${col.status}`}>{verdict}</span>
        </td>
        <td className="num">
          <Pair a={num(col.baseline.mean)} b={num(col.current.mean)} />
        </td>
        <td className="num">
          <Pair a={num(col.baseline.std)} b={num(col.current.std)} />
        </td>
        <td className="num">
          <Pair a={formatShare(col.baseline.missingShare)} b={formatShare(col.current.missingShare)} />
        </td>
        <td className="num">{formatShift(col.meanShiftPct)}</td>
      </tr>
      {open && col.chart && (
        <tr className="mon-col-detail">
          <td colSpan={10}>
            <div className="mon-detail">
              <OverlayChart
                chart={col.chart}
                label={t('mon.report.overlay', { column: col.column })}
                names={{
                  baseline: t('mon.report.baseline'),
                  current: t('mon.report.current'),
                  other: t('mon.report.other'),
                }}
              />
              <div className="mon-detail__facts">
                <p>{col.reason}</p>
                {col.notes.length > 0 && (
                  <ul className="muted">
                    {col.notes.map((n) => (
                      <li key={n}>{n}</li>
                    ))}
                  </ul>
                )}
                <dl className="facts">
                  <dt>{t('mon.report.count')}</dt>
                  <dd>
                    {t.number(col.baseline.count)} → {t.number(col.current.count)}
                  </dd>
                  {(col.baseline.unique !== null || col.current.unique !== null) && (
                    <>
                      <dt>{t('mon.report.unique')}</dt>
                      <dd>
                        {col.baseline.unique === null ? '—' : t.number(col.baseline.unique)} →{' '}
                        {col.current.unique === null ? '—' : t.number(col.current.unique)}
                      </dd>
                    </>
                  )}
                  {col.type === 'number' && (
                    <>
                      <dt>{t('mon.report.range')}</dt>
                      <dd>
                        [{num(col.baseline.min)}, {num(col.baseline.max)}] → [{num(col.current.min)}, {num(col.current.max)}]
                      </dd>
                    </>
                  )}
                  <dt>PSI</dt>
                  <dd>{num(col.psi)}</dd>
                  {col.ksMethod && (
                    <>
                      <dt>{t('mon.report.ksMethod')}</dt>
                      <dd>{col.ksMethod}</dd>
                    </>
                  )}
                  {col.dof !== undefined && (
                    <>
                      <dt>{t('mon.report.dof')}</dt>
                      <dd>{col.dof}</dd>
                    </>
                  )}
                </dl>
              </div>
            </div>
          </td>
        </tr>
      )}
    </Fragment>
  );
}

/** PDF and HTML through the report pipeline (report 'drift', target the check id), and the chapter's JSON. */
function ExportButtons({ check: c }: { check: DriftCheck }) {
  const t = useT();
  const navigate = useRouter((s) => s.navigate);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const run = async (format: 'pdf' | 'html') => {
    setBusy(true);
    setStatus(t('mon.report.exporting'));
    try {
      const record = await exportAndSaveReport({ reportId: 'drift', targetId: String(c.id), format, language: t.language });
      setStatus(t('mon.report.exported', { file: record.fileName, size: t.bytes(record.size) }));
    } catch (err) {
      setStatus('');
      reportError(err);
    } finally {
      setBusy(false);
    }
  };
  // The chapter's save_report holds the drift history: the checks of this check's model, else of its baseline's dataset.
  const datasets = useQuery('datasets:list', {}, ['datasets']);
  const datasetId = datasets.data?.find((d) => d.versions.some((v) => v.id === c.baselineVersionId))?.id;
  const json = () => {
    const scope = c.model ? { model: c.model } : datasetId !== undefined ? { datasetId } : {};
    return api
      .call('monitoring:saveReportJson', scope)
      .then(
        (text) => (downloadFile(`drift-report-${c.id}.json`, text, 'application/json'), setStatus(t('mon.report.jsonSaved'))),
        reportError,
      );
  };
  const remove = () => api.call('monitoring:deleteCheck', { id: c.id }).then(() => navigate('monitoring'), reportError);
  return (
    <>
      <span className="muted mon-export-status" role="status">
        {status}
      </span>
      <button type="button" className="btn" disabled={busy} onClick={() => void run('pdf')}>
        {t('mon.report.pdf')}
      </button>
      <button type="button" className="btn" disabled={busy} onClick={() => void run('html')}>
        {t('mon.report.html')}
      </button>
      <button type="button" className="btn" onClick={() => void json()}>
        {t('mon.report.json')}
      </button>
      <button
        type="button"
        className="btn btn--danger"
        onClick={() => {
          if (window.confirm(t('mon.report.deleteConfirm'))) void remove();
        }}
      >
        {t('mon.report.delete')}
      </button>
    </>
  );
}
