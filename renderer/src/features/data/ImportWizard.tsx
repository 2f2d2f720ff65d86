import { useEffect, useState, type DragEvent } from 'react';
import type { ImportResult } from '../../../../shared/contracts/datasets';
import type { ColumnSchema, ColumnType, CsvOptions, Delimiter, SniffResult, TextEncoding } from '../../../../shared/datasets';
import type { AppError } from '../../../../shared/errors';
import type { JobRecord } from '../../../../shared/jobs';
import { reportError } from '../../app/errors-store';
import { useRouter } from '../../app/router';
import { ProgressBar } from '../../components/ProgressBar';
import { useT } from '../../i18n';
import { api } from '../../lib/api';
import { isFinished, useJob } from './use-job';

const TYPES: ColumnType[] = ['number', 'integer', 'category', 'boolean', 'date', 'text'];
const DELIMITERS: { value: Delimiter; key: string }[] = [
  { value: ',', key: 'comma' },
  { value: ';', key: 'semicolon' },
  { value: '\t', key: 'tab' },
  { value: '|', key: 'pipe' },
];
const ENCODINGS: TextEncoding[] = ['utf-8', 'utf-8-bom', 'latin1'];

/** "a, NA, ''" ↔ ['a', 'NA', ''] for the missing-markers field. */
function markersToText(m: string[]): string {
  return m.map((x) => (x === '' ? '""' : x)).join(', ');
}
function textToMarkers(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .map((x) => (x === '""' ? '' : x))
    .filter((x, i, all) => all.indexOf(x) === i);
}

function defaultName(file: string): string {
  return file.replace(/\.[^.]+$/, '').replace(/[@/\\]/g, '_') || 'dataset';
}

/**
 * The import wizard: pick or drop a file → the main process sniffs its head →
 * a preview with the sniffed delimiter, header, encoding, missing markers and
 * column names/types, all correctable → name + tag → an import job with a
 * progress bar (bytes and rows) and a cancel button.
 */
export function ImportWizard() {
  const t = useT();
  const navigate = useRouter((s) => s.navigate);
  const [path, setPath] = useState<string | null>(null);
  const [fileName, setFileName] = useState('');
  const [sniff, setSniff] = useState<SniffResult | null>(null);
  const [columns, setColumns] = useState<ColumnSchema[]>([]);
  const [markersText, setMarkersText] = useState('');
  const [ragged, setRagged] = useState<CsvOptions['raggedRows']>('error');
  const [name, setName] = useState('');
  const [tag, setTag] = useState('v1');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [offerLatin1, setOfferLatin1] = useState(false);
  const [started, setStarted] = useState<JobRecord | null>(null);
  const job = useJob(started);

  const runSniff = async (file: string, overrides: Parameters<typeof api.call<'datasets:sniff'>>[1]['overrides'] = undefined) => {
    setBusy(true);
    setError(null);
    setOfferLatin1(false);
    try {
      const s = await api.call('datasets:sniff', { path: file, overrides });
      setSniff(s);
      setColumns(s.columns);
      setMarkersText(markersToText(s.missingMarkers));
    } catch (err) {
      setSniff(null);
      setError((err as Error).message);
      // Not UTF-8: offer the one encoding we never guess.
      setOfferLatin1((err as AppError).details !== undefined && ((err as AppError).details as { csvError?: string }).csvError === 'invalid_utf8');
    } finally {
      setBusy(false);
    }
  };

  const pick = async (file: File) => {
    setStarted(null);
    setFileName(file.name);
    setName(defaultName(file.name));
    setBusy(true);
    try {
      const staged = await api.stageFile(file);
      setPath(staged);
      await runSniff(staged);
    } catch (err) {
      setBusy(false);
      setError((err as Error).message);
    }
  };

  const resniff = (patch: { delimiter?: Delimiter; hasHeader?: boolean; encoding?: TextEncoding }) => {
    if (!path || !sniff) return;
    void runSniff(path, {
      delimiter: patch.delimiter ?? sniff.delimiter,
      hasHeader: patch.hasHeader ?? sniff.hasHeader,
      encoding: patch.encoding ?? sniff.encoding,
      missingMarkers: textToMarkers(markersText),
    });
  };

  const start = async () => {
    if (!path || !sniff) return;
    setError(null);
    try {
      const options: CsvOptions = { delimiter: sniff.delimiter, hasHeader: sniff.hasHeader, encoding: sniff.encoding, missingMarkers: textToMarkers(markersText), columns, raggedRows: ragged };
      setStarted(await api.call('datasets:import', { path, name: name.trim(), tag: tag.trim(), options, sourceName: fileName }));
    } catch (err) {
      reportError(err);
    }
  };

  useEffect(() => {
    if (job?.status === 'succeeded') {
      const r = job.result as ImportResult;
      navigate('data', 'version', r.versionId);
    }
  }, [job, navigate]);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const f = e.dataTransfer.files[0];
    if (f) void pick(f);
  };

  const running = !!job && !isFinished(job);
  return (
    <div className="page data-wizard">
      <p>
        <a href="#/data">{t('data.back')}</a>
      </p>
      <h1>{t('data.wizard.title')}</h1>
      <section className="card dropzone" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
        <p className="muted">{t('data.wizard.drop')}</p>
        <label>
          {t('data.wizard.file')}{' '}
          <input type="file" accept=".csv,.tsv,.txt,text/csv" disabled={running} onChange={(e) => e.target.files?.[0] && pick(e.target.files[0])} />
        </label>
        {busy && <p className="muted">{t('data.wizard.reading')}</p>}
      </section>
      {error && (
        <div className="data-error" role="alert">
          <p>{error}</p>
          {offerLatin1 && path && (
            <button type="button" className="btn btn--small" onClick={() => runSniff(path, { encoding: 'latin1' })}>
              {t('data.wizard.readLatin1')}
            </button>
          )}
        </div>
      )}
      {sniff && (
        <>
          <section className="card">
            <div className="form-row">
              <label>
                {t('data.wizard.delimiter')}
                <select value={sniff.delimiter} disabled={running} onChange={(e) => resniff({ delimiter: e.target.value as Delimiter })}>
                  {DELIMITERS.map((d) => (
                    <option key={d.key} value={d.value}>
                      {t(`data.wizard.delimiter.${d.key}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                <input type="checkbox" checked={sniff.hasHeader} disabled={running} onChange={(e) => resniff({ hasHeader: e.target.checked })} /> {t('data.wizard.header')}
              </label>
              <label>
                {t('data.wizard.encoding')}
                <select value={sniff.encoding} disabled={running} onChange={(e) => resniff({ encoding: e.target.value as TextEncoding })}>
                  {ENCODINGS.map((x) => (
                    <option key={x} value={x}>
                      {x}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <div className="form-row">
              <label className="grow">
                {t('data.wizard.missing')}
                <input type="text" value={markersText} disabled={running} onChange={(e) => setMarkersText(e.target.value)} onBlur={() => resniff({})} />
              </label>
              <label>
                {t('data.wizard.ragged')}
                <select value={ragged} disabled={running} onChange={(e) => setRagged(e.target.value as CsvOptions['raggedRows'])}>
                  <option value="error">{t('data.wizard.ragged.error')}</option>
                  <option value="skip">{t('data.wizard.ragged.skip')}</option>
                </select>
              </label>
            </div>
            {sniff.warnings.length > 0 && (
              <div className="data-notes">
                <strong>{t('data.wizard.warnings')}</strong>
                <ul>
                  {sniff.warnings.map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
              </div>
            )}
          </section>
          <section className="card">
            <h2>{t('data.wizard.preview', { n: sniff.previewRows.length })}</h2>
            <div className="table-scroll">
              <table className="table data-preview">
                <thead>
                  <tr>
                    {columns.map((c, i) => (
                      <th key={i}>
                        <input
                          type="text"
                          aria-label={t('data.wizard.columnName', { n: i + 1 })}
                          value={c.name}
                          disabled={running}
                          onChange={(e) => setColumns(columns.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))}
                        />
                        <select
                          aria-label={t('data.wizard.columnType', { name: c.name })}
                          value={c.type}
                          disabled={running}
                          onChange={(e) => setColumns(columns.map((x, j) => (j === i ? { ...x, type: e.target.value as ColumnType } : x)))}
                        >
                          {TYPES.map((ty) => (
                            <option key={ty} value={ty}>
                              {ty}
                            </option>
                          ))}
                        </select>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {sniff.previewRows.map((r, i) => (
                    <tr key={i}>
                      {columns.map((_, j) => (
                        <td key={j} className={textToMarkers(markersText).includes(r[j] ?? '') ? 'cell-missing' : undefined}>
                          {r[j] ?? ''}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <section className="card">
            <div className="form-row">
              <label>
                {t('data.wizard.name')}
                <input type="text" value={name} disabled={running} onChange={(e) => setName(e.target.value)} />
              </label>
              <label>
                {t('data.wizard.tag')}
                <input type="text" value={tag} disabled={running} onChange={(e) => setTag(e.target.value)} />
              </label>
              <button type="button" className="btn btn--primary" disabled={running || !name.trim() || !tag.trim()} onClick={start}>
                {t('data.wizard.start')}
              </button>
            </div>
            {job && running && (
              <div className="data-progress">
                <p>{t('data.wizard.importing', { file: fileName, rows: job.progressMessage ?? '' })}</p>
                <ProgressBar done={job.progressDone} total={job.progressTotal} label={t('data.wizard.importing', { file: fileName, rows: '' })} />
                <button type="button" className="btn btn--danger btn--small" onClick={() => api.call('jobs:cancel', { id: job.id }).catch(reportError)}>
                  {t('data.wizard.cancel')}
                </button>
              </div>
            )}
            {job?.status === 'failed' && (
              <p className="data-error" role="alert">
                {t('data.wizard.failed', { error: job.error ?? '' })}
              </p>
            )}
            {job?.status === 'cancelled' && <p className="muted">{t('data.wizard.cancelled')}</p>}
          </section>
        </>
      )}
    </div>
  );
}
