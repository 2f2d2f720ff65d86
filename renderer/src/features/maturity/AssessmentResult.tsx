import { useState } from 'react';
import { MATURITY_AREAS } from '../../../../shared/maturity';
import {
  COMPARISON_ASPECT_HEADER,
  MATURITY_AREA_NAMES,
  MATURITY_LEVEL_COMPARISON,
  MATURITY_LEVEL_INFO,
  WIZARD_ITEMS,
  WORKBENCH_PAGE_NAMES,
  findMaturityItem,
  ANSWER_LABELS,
} from '../../../../shared/maturity-content';
import { reportError } from '../../app/errors-store';
import { useRouter } from '../../app/router';
import { useT } from '../../i18n';
import { api, downloadFile } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { exportAndSaveReport } from '../reports/report-files';
import { answerLabel, answerTone } from './answer-text';
import { AreaRadarChart, CellBar, LEVEL_COLORS, LevelBarsChart } from './charts';

/** The result of one assessment: charts, level, recommendations, next steps, evidence, answers, exports. */
export function AssessmentResult({ id }: { id: string }) {
  const t = useT();
  const lang = t.language;
  const { navigate } = useRouter();
  const view = useQuery('maturity:result', { id }, ['maturity', 'datasets', 'validation', 'training']);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');

  if (!view.data) return <div className="page muted">{t('common.loading')}</div>;
  const { assessment, result, evidence, disagreements } = view.data;
  const info = MATURITY_LEVEL_INFO[result.level];
  const levelLabels = result.levelScores.map((s) => `Level ${s.level}`);
  const area = (level: number, name: string) => result.areaScores.find((s) => s.level === level && s.area === name)?.score ?? 0;
  const radarData = MATURITY_AREAS.map((a) => ({ area: MATURITY_AREA_NAMES[a][lang], l1: Math.round(area(1, a)), l2: Math.round(area(2, a)) }));

  const exportReport = async (format: 'pdf' | 'html') => {
    setBusy(true);
    setStatus(t('maturity.result.exporting'));
    try {
      const record = await exportAndSaveReport({ reportId: 'maturity', targetId: id, format, paper: 'A4', language: lang });
      setStatus(t('maturity.result.exported', { file: record.fileName, size: t.bytes(record.size) }));
    } catch (err) {
      setStatus('');
      reportError(err);
    } finally {
      setBusy(false);
    }
  };
  const exportJson = async () => {
    try {
      const { fileName, json } = await api.call('maturity:exportJson', { id });
      downloadFile(fileName, json, 'application/json');
      setStatus(t('maturity.result.exported', { file: fileName, size: t.bytes(json.length) }));
    } catch (err) {
      reportError(err);
    }
  };

  return (
    <div className="page">
      <button type="button" className="btn btn--ghost" onClick={() => navigate('maturity')}>
        {t('maturity.back')}
      </button>
      <h1>
        {t('maturity.result.title')}: {assessment.meta.organisation}
        {assessment.meta.team ? ` — ${assessment.meta.team}` : ''} <span className="muted">({assessment.meta.date})</span>
      </h1>
      <div className="maturity-actions">
        <button type="button" className="btn btn--primary" disabled={busy} onClick={() => void exportReport('pdf')}>
          {t('maturity.result.exportPdf')}
        </button>
        <button type="button" className="btn" disabled={busy} onClick={() => void exportReport('html')}>
          {t('maturity.result.saveHtml')}
        </button>
        <button type="button" className="btn" onClick={() => void exportJson()}>
          {t('maturity.result.exportJson')}
        </button>
        <button type="button" className="btn" onClick={() => navigate('maturity', 'a', id)}>
          {t('maturity.result.edit')}
        </button>
        <span className="muted">{assessment.settings.partlyCountsHalf ? t('maturity.result.scoring.half') : t('maturity.result.scoring.chapter')}</span>
      </div>
      {status && (
        <p className="maturity-status" role="status">
          {status}
        </p>
      )}
      <div className={`level-callout level-callout--${result.level}`} data-testid="maturity-level">
        <strong>{t('maturity.result.level', { level: result.level, name: info.name[lang] })}</strong>
        <div>{info.verdict[lang]}</div>
      </div>
      {result.openItems.length > 0 && <p className="answer--warn">{t('maturity.wizard.openItems', { n: result.openItems.length })}</p>}

      <div className="charts-row">
        <section className="card">
          <h2>{t('maturity.result.scores')}</h2>
          <LevelBarsChart scores={result.levelScores.map((s) => s.score)} labels={levelLabels} thresholdLabel={t('maturity.chart.threshold')} />
          <div className="cell-bars">
            {result.levelScores.map((s) => (
              <FragmentRow key={s.level} label={`Level ${s.level}`}>
                <CellBar score={s.score} color={LEVEL_COLORS[s.level]} label={`Level ${s.level}`} />
              </FragmentRow>
            ))}
          </div>
          <p className="muted" style={{ maxWidth: 420 }}>
            {t('maturity.result.scoresHelp')}
          </p>
        </section>
        <section className="card">
          <h2>{t('maturity.result.areas')}</h2>
          <AreaRadarChart
            data={radarData}
            series={[
              { key: 'l1', label: 'Level 1', color: LEVEL_COLORS[1] },
              { key: 'l2', label: 'Level 2', color: LEVEL_COLORS[2] },
            ]}
          />
        </section>
      </div>

      <section className="card">
        <h2>{t('maturity.result.recommendations', { level: result.level })}</h2>
        <ol>
          {result.recommendations.map((r) => (
            <li key={r.en}>{r[lang]}</li>
          ))}
        </ol>
      </section>

      <section className="card">
        <h2>{t('maturity.result.nextSteps')}</h2>
        {result.nextSteps.length === 0 ? (
          <p>{t('maturity.result.noNextSteps')}</p>
        ) : (
          <>
            <p className="muted">{t('maturity.result.nextStepsHelp')}</p>
            <table className="table" aria-label={t('maturity.result.nextSteps')}>
              <tbody>
                {result.nextSteps.map((step, i) => {
                  const item = findMaturityItem(step.itemId)!;
                  return (
                    <tr key={step.itemId}>
                      <td className="num">{i + 1}</td>
                      <td>
                        <strong>
                          L{item.level} · {item.statement[lang]}
                        </strong>
                        <div>{item.nextStep[lang]}</div>
                        {step.alsoCovers.length > 0 && (
                          <div className="item-note">{t('maturity.result.alsoCovers', { items: step.alsoCovers.map((c) => findMaturityItem(c)!.statement[lang]).join(' · ') })}</div>
                        )}
                      </td>
                      <td style={{ whiteSpace: 'nowrap' }}>
                        {step.page ? (
                          <button type="button" className="btn btn--small" onClick={() => (step.page === 'pipelines' ? navigate('pipelines', 'new') : navigate(step.page!))}>
                            {t('maturity.result.goTo', { page: WORKBENCH_PAGE_NAMES[step.page][lang] })}
                          </button>
                        ) : (
                          <span className="muted">{t('maturity.result.outside')}</span>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </>
        )}
      </section>

      <section className="card">
        <h2>{t('maturity.result.evidence')}</h2>
        {evidence.length === 0 ? (
          <p className="muted">{t('maturity.result.noEvidence')}</p>
        ) : (
          <>
            <ul>
              {evidence.map((e) => (
                <li key={e.providerId}>
                  {e.summary[lang]} <span className="muted">({WORKBENCH_PAGE_NAMES[e.page][lang]})</span>
                </li>
              ))}
            </ul>
            <h3>{t('maturity.result.disagreements')}</h3>
            {disagreements.length === 0 ? (
              <p>{t('maturity.result.noDisagreements')}</p>
            ) : (
              <ul data-testid="disagreements">
                {disagreements.map((d) => {
                  const item = findMaturityItem(d.itemId)!;
                  const suggested = ANSWER_LABELS[item.polarity][d.suggested][lang];
                  return (
                    <li key={d.itemId} className={d.kind === 'contradicts' ? 'answer--bad' : 'answer--muted'}>
                      L{item.level} · {item.statement[lang]} —{' '}
                      {d.kind === 'contradicts'
                        ? t('maturity.result.contradicts', { answer: answerLabel(item, d.answer, lang), suggested })
                        : t('maturity.result.unanswered', { suggested })}
                    </li>
                  );
                })}
              </ul>
            )}
          </>
        )}
      </section>

      <section className="card">
        <h2>{t('maturity.result.answers')}</h2>
        <table className="table" aria-label={t('maturity.result.answers')}>
          <thead>
            <tr>
              <th>{t('maturity.area')}</th>
              <th>{t('maturity.item')}</th>
              <th>{t('maturity.answer')}</th>
              <th>{t('maturity.note')}</th>
            </tr>
          </thead>
          <tbody>
            {WIZARD_ITEMS.map((item) => {
              const answer = assessment.answers[item.id];
              const itemEvidence = evidence.filter((e) => e.itemIds.includes(item.id));
              return (
                <tr key={item.id}>
                  <td>{MATURITY_AREA_NAMES[item.area][lang]}</td>
                  <td>
                    <span className="muted">L{item.level} </span>
                    {item.statement[lang]}
                    {itemEvidence.length > 0 && <div className="item-note">▸ {itemEvidence.map((e) => e.summary[lang]).join(' · ')}</div>}
                  </td>
                  <td className={`answer--${answerTone(item, answer?.value ?? null)}`}>{answerLabel(item, answer?.value ?? null, lang)}</td>
                  <td className="item-note">{answer?.note}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>

      <section className="card">
        <h2>{t('maturity.result.comparison')}</h2>
        <table className="table">
          <thead>
            <tr>
              <th>{COMPARISON_ASPECT_HEADER[lang]}</th>
              <th>Level 0</th>
              <th>Level 1</th>
              <th>Level 2</th>
            </tr>
          </thead>
          <tbody>
            {MATURITY_LEVEL_COMPARISON.map((row) => (
              <tr key={row.aspect.en}>
                <td>{row.aspect[lang]}</td>
                {row.values.map((v) => (
                  <td key={v.en}>{v[lang]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

function FragmentRow({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <span className="muted">{label}</span>
      {children}
    </>
  );
}
