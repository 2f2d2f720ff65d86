import { useState } from 'react';
import type { DatasetVersion } from '../../../../shared/contracts/datasets';
import type { ColumnType, ValidationRule, ValidationRuleKind, ValidationSuite } from '../../../../shared/datasets';
import type { JobRecord } from '../../../../shared/jobs';
import { reportError } from '../../app/errors-store';
import { ProgressBar } from '../../components/ProgressBar';
import { useT } from '../../i18n';
import { api } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { formatStat } from './format';
import { isFinished, useJob } from './use-job';

const KINDS: ValidationRuleKind[] = ['column_exists', 'not_null', 'between', 'in_set', 'unique', 'matches_regex', 'type_is', 'mean_between', 'min_between', 'max_between', 'row_count_between'];
const TYPES: ColumnType[] = ['number', 'integer', 'category', 'boolean', 'date', 'text'];

/** A fresh rule of a kind, keeping the column when there is one. */
function makeRule(kind: ValidationRuleKind, column: string): ValidationRule {
  switch (kind) {
    case 'row_count_between':
      return { kind, min: 1 };
    case 'not_null':
      return { kind, column, maxMissingShare: 0 };
    case 'in_set':
      return { kind, column, values: ['a'] };
    case 'matches_regex':
      return { kind, column, pattern: '.*' };
    case 'type_is':
      return { kind, column, type: 'number' };
    case 'between':
    case 'mean_between':
    case 'min_between':
    case 'max_between':
      return { kind, column };
    default:
      return { kind, column } as ValidationRule;
  }
}

const num = (s: string): number | undefined => (s.trim() === '' || Number.isNaN(Number(s)) ? undefined : Number(s));

/** One editable rule row. */
function RuleEditor({ rule, columns, onChange, onRemove, index }: { rule: ValidationRule; columns: string[]; onChange(r: ValidationRule): void; onRemove(): void; index: number }) {
  const t = useT();
  const column = 'column' in rule ? rule.column : (columns[0] ?? '');
  return (
    <div className="form-row rule-row" aria-label={`rule ${index + 1}`}>
      <label>
        {t('data.rule.kind')}
        <select aria-label={t('data.rule.kind')} value={rule.kind} onChange={(e) => onChange(makeRule(e.target.value as ValidationRuleKind, column))}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      {'column' in rule && (
        <label>
          {t('data.rule.column')}
          <select aria-label={t('data.rule.column')} value={rule.column} onChange={(e) => onChange({ ...rule, column: e.target.value })}>
            {[...new Set([rule.column, ...columns])].map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
      )}
      {'min' in rule || rule.kind.endsWith('between') ? (
        <>
          <label>
            {t('data.rule.min')}
            <input aria-label={t('data.rule.min')} type="number" value={'min' in rule && rule.min !== undefined ? rule.min : ''} onChange={(e) => onChange({ ...rule, min: num(e.target.value) } as ValidationRule)} />
          </label>
          <label>
            {t('data.rule.max')}
            <input aria-label={t('data.rule.max')} type="number" value={'max' in rule && rule.max !== undefined ? rule.max : ''} onChange={(e) => onChange({ ...rule, max: num(e.target.value) } as ValidationRule)} />
          </label>
        </>
      ) : null}
      {rule.kind === 'not_null' && (
        <label>
          {t('data.rule.maxMissing')}
          <input type="number" min={0} max={1} step={0.01} value={rule.maxMissingShare} onChange={(e) => onChange({ ...rule, maxMissingShare: num(e.target.value) ?? 0 })} />
        </label>
      )}
      {rule.kind === 'in_set' && (
        <label className="grow">
          {t('data.rule.values')}
          <input type="text" value={rule.values.join(', ')} onChange={(e) => onChange({ ...rule, values: e.target.value.split(',').map((x) => x.trim()).filter(Boolean) })} />
        </label>
      )}
      {rule.kind === 'matches_regex' && (
        <label className="grow">
          {t('data.rule.pattern')}
          <input type="text" value={rule.pattern} onChange={(e) => onChange({ ...rule, pattern: e.target.value })} />
        </label>
      )}
      {rule.kind === 'type_is' && (
        <label>
          {t('data.rule.type')}
          <select aria-label={t('data.rule.type')} value={rule.type} onChange={(e) => onChange({ ...rule, type: e.target.value as ColumnType })}>
            {TYPES.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="button" className="btn btn--ghost btn--small" aria-label={t('data.suites.removeRule')} onClick={onRemove}>
        ✕
      </button>
    </div>
  );
}

/** Suites of the version's dataset (create, suggest, edit, delete, run) and this version's results. */
export function ValidationPanel({ version }: { version: DatasetVersion }) {
  const t = useT();
  const suites = useQuery('validation:listSuites', { datasetId: version.datasetId }, ['validation']);
  const results = useQuery('validation:listResults', { versionId: version.id }, ['validation']);
  const [draft, setDraft] = useState<{ id?: number; suite: ValidationSuite } | null>(null);
  const [runJob, setRunJob] = useState<JobRecord | null>(null);
  const job = useJob(runJob);
  const columns = version.schema.map((c) => c.name);

  const suggest = () => api.call('validation:suggest', { versionId: version.id }).then((suite) => setDraft({ suite }), reportError);
  const save = async () => {
    if (!draft) return;
    try {
      const saved = await api.call('validation:saveSuite', { datasetId: version.datasetId, id: draft.id, suite: draft.suite });
      setDraft(null);
      return saved;
    } catch (err) {
      reportError(err);
      return undefined;
    }
  };
  const run = (suiteId: number) => api.call('validation:run', { suiteId, versionId: version.id }).then(setRunJob, reportError);

  return (
    <div className="validation">
      <section className="card">
        <h2>{t('data.suites.title')}</h2>
        <div className="form-row">
          <button type="button" className="btn" onClick={suggest}>
            {t('data.suites.suggest')}
          </button>
          <button type="button" className="btn btn--ghost" onClick={() => setDraft({ suite: { name: 'New suite', rules: [{ kind: 'row_count_between', min: 1 }] } })}>
            {t('data.suites.new')}
          </button>
        </div>
        {suites.data?.length === 0 && !draft && <p className="muted">{t('data.suites.none')}</p>}
        {suites.data && suites.data.length > 0 && (
          <table className="table">
            <tbody>
              {suites.data.map((s) => (
                <tr key={s.id}>
                  <td>{s.name}</td>
                  <td className="muted">{t('data.suites.rules', { n: s.rules.length })}</td>
                  <td>
                    <button type="button" className="btn btn--primary btn--small" disabled={!!job && !isFinished(job)} onClick={() => run(s.id)}>
                      {t('data.suites.run')}
                    </button>{' '}
                    <button type="button" className="btn btn--small" onClick={() => setDraft({ id: s.id, suite: { name: s.name, rules: s.rules } })}>
                      {t('data.suites.edit')}
                    </button>{' '}
                    <button type="button" className="btn btn--danger btn--small" onClick={() => api.call('validation:deleteSuite', { id: s.id }).catch(reportError)}>
                      {t('data.suites.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {job && !isFinished(job) && <ProgressBar done={job.progressDone} total={job.progressTotal} label={t('data.suites.run')} />}
        {job?.status === 'failed' && (
          <p className="data-error" role="alert">
            {job.error}
          </p>
        )}
      </section>
      {draft && (
        <section className="card suite-editor" aria-label={t('data.suites.title')}>
          <div className="form-row">
            <label className="grow">
              {t('data.suites.name')}
              <input type="text" value={draft.suite.name} onChange={(e) => setDraft({ ...draft, suite: { ...draft.suite, name: e.target.value } })} />
            </label>
          </div>
          {draft.suite.rules.map((r, i) => (
            <RuleEditor
              key={i}
              index={i}
              rule={r}
              columns={columns}
              onChange={(nr) => setDraft({ ...draft, suite: { ...draft.suite, rules: draft.suite.rules.map((x, j) => (j === i ? nr : x)) } })}
              onRemove={() => setDraft({ ...draft, suite: { ...draft.suite, rules: draft.suite.rules.filter((_, j) => j !== i) } })}
            />
          ))}
          <div className="form-row">
            <button type="button" className="btn btn--ghost" onClick={() => setDraft({ ...draft, suite: { ...draft.suite, rules: [...draft.suite.rules, makeRule('not_null', columns[0] ?? '')] } })}>
              {t('data.suites.addRule')}
            </button>
            <button type="button" className="btn btn--primary" onClick={save}>
              {t('data.suites.save')}
            </button>
          </div>
        </section>
      )}
      <section className="card">
        <h2>{t('data.results.title')}</h2>
        {results.data?.length === 0 && <p className="muted">{t('data.results.none')}</p>}
        {results.data?.map((r) => (
          <details key={r.id} open={r.id === results.data![0].id} className="suite-result" data-passed={r.passed}>
            <summary>
              <span className={`badge ${r.passed ? 'status--succeeded' : 'status--failed'}`}>{r.passed ? t('data.results.passed') : t('data.results.failed')}</span>{' '}
              {t('data.results.summary', { suite: r.suiteName, passed: r.result.results.filter((x) => x.passed).length, total: r.result.results.length, time: t.dateTime(r.createdAt) })}
            </summary>
            <table className="table">
              <thead>
                <tr>
                  <th />
                  <th>{t('data.rule.kind')}</th>
                  <th>{t('data.rule.column')}</th>
                  <th>{t('data.results.observed')}</th>
                  <th />
                  <th>{t('data.results.examples')}</th>
                </tr>
              </thead>
              <tbody>
                {r.result.results.map((x, i) => (
                  <tr key={i} data-passed={x.passed}>
                    <td>{x.passed ? '✓' : '✗'}</td>
                    <td>{x.rule.kind}</td>
                    <td>{'column' in x.rule ? x.rule.column : ''}</td>
                    <td>{typeof x.observed === 'number' ? formatStat(x.observed) : (x.observed ?? '—')}</td>
                    <td>{x.message}</td>
                    <td>{x.failingExamples.map((e) => t('data.results.row', { row: e.row, value: e.value === '' ? '""' : e.value })).join('; ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        ))}
      </section>
    </div>
  );
}
