import { useCallback, useEffect, useMemo } from 'react';
import { DEFAULT_EXPERIMENT_ID, type Experiment } from '../../../../shared/tracking';
import { reportError } from '../../app/errors-store';
import { useRouter } from '../../app/router';
import { useT } from '../../i18n';
import { api } from '../../lib/api';
import { ColumnChooser } from './runs-table/ColumnChooser';
import { columnKeys, defaultColumns, fromOrderBy, nextSort, toOrderBy } from './runs-table/columns';
import { ExperimentHeader, ExperimentsPanel, TrashView } from './runs-table/ExperimentsPanel';
import { RunsTable } from './runs-table/RunsTable';
import { useRunsUi } from './runs-table/runs-ui-store';
import { SavedViews } from './runs-table/SavedViews';
import { SearchBox } from './runs-table/SearchBox';
import { useDebouncedQuery } from './runs-table/use-debounced-query';
import { useRuns } from './runs-table/use-runs';
import './runs-table/runs.css';

/** Compare takes this many runs at most (the compare page's limit). */
export const MAX_COMPARE = 20;

/**
 * Experiments and their runs (`#/experiments`, `#/experiments/exp/ID`): the
 * experiments on the left (with the trash), the chosen experiment's header,
 * and its runs table with the filter box, saved views, column chooser,
 * selection, Compare and delete/restore.
 */
export default function RunsHome({ experimentId }: { experimentId?: number }) {
  const t = useT();
  const navigate = useRouter((s) => s.navigate);
  const ui = useRunsUi();
  const { openExperiment } = ui;
  useEffect(() => {
    if (experimentId !== undefined) openExperiment(experimentId);
  }, [experimentId, openExperiment]);
  // Until the effect above has run, the route wins over the remembered experiments.
  const ids = experimentId !== undefined && ui.experimentIds[0] !== experimentId ? [experimentId] : ui.experimentIds;
  const primaryId = ids[0];

  const active = useDebouncedQuery('experiments:list', { stage: 'active' }, ['tracking', 'jobs']);
  const deleted = useDebouncedQuery('experiments:list', { stage: 'deleted' }, ['tracking']);
  const keys = useDebouncedQuery('runs:keys', { experimentIds: ids }, ['tracking']);
  const views = useDebouncedQuery('views:list', { experimentId: primaryId }, ['tracking']);
  const byId = useMemo(() => new Map<number, Experiment>((active.data ?? []).map((e) => [e.id, e])), [active.data]);
  const primary = byId.get(primaryId);

  const columns = ui.columns ?? defaultColumns(keys.data?.metrics ?? [], ids.length > 1);
  const visibleKeys = useMemo(() => columnKeys(columns), [columns]);
  const runs = useRuns({
    experimentIds: ids,
    filter: ui.filter,
    orderBy: ui.orderBy,
    runViewType: ui.showDeleted ? 'ALL' : 'ACTIVE_ONLY',
    keys: visibleKeys,
  });
  const selected = useMemo(() => new Set(ui.selected), [ui.selected]);

  const { setOrderBy, toggleSelected, setSelected } = ui;
  const onSort = useCallback(
    (id: string) => {
      const next = nextSort(ui.orderBy.length ? fromOrderBy(ui.orderBy[0]) : null, id);
      const clause = toOrderBy(next.id, next.ascending);
      if (clause) setOrderBy([clause]);
    },
    [ui.orderBy, setOrderBy],
  );
  const onToggleAll = useCallback((on: boolean) => setSelected(on ? runs.runs.map((r) => r.info.runId) : []), [runs.runs, setSelected]);
  const onRestore = useCallback((runId: string) => void api.call('runs:restore', { runId }).catch(reportError), []);

  if (ui.showTrash) {
    return (
      <div className="runs-page">
        <ExperimentsPanel experiments={active.data} trashCount={deleted.data?.length ?? 0} />
        <div className="runs-main">
          <TrashView deleted={deleted.data} />
        </div>
      </div>
    );
  }

  const missing = active.data !== undefined && primary === undefined;
  const n = ui.selected.length;
  const deleteSelected = async () => {
    for (const runId of ui.selected) await api.call('runs:delete', { runId });
    setSelected([]);
  };

  return (
    <div className="runs-page">
      <ExperimentsPanel experiments={active.data} trashCount={deleted.data?.length ?? 0} />
      <div className="runs-main">
        {missing ? (
          <div className="empty-state" role="status">
            <p>{t('runs.missing', { id: primaryId })}</p>
            <a href={`#/experiments/exp/${DEFAULT_EXPERIMENT_ID}`}>{t('runs.missing.back')}</a>
          </div>
        ) : (
          <>
            {primary && <ExperimentHeader experiment={primary} others={ids.length - 1} />}
            <div className="runs-toolbar">
              <SearchBox applied={ui.filter} error={runs.error?.message} onApply={ui.setFilter} />
              <span className="runs-count" data-testid="run-count" aria-live="polite">
                {t(runs.more ? 'runs.count.more' : 'runs.count', { n: runs.runs.length })}
                {runs.loading && <span className="runs-count__loading"> · {t('runs.loading')}</span>}
              </span>
            </div>
            {runs.error && runs.shownFilter !== ui.filter && (
              <p className="runs-stale muted">
                {runs.shownFilter ? t('runs.search.stale', { filter: runs.shownFilter }) : t('runs.search.staleAll')}
              </p>
            )}
            <div className="runs-toolbar runs-toolbar--actions">
              <SavedViews
                experimentId={primaryId}
                views={views.data}
                viewId={ui.viewId}
                current={{ filter: ui.filter, orderBy: ui.orderBy, columns }}
                onApply={ui.applyView}
              />
              <ColumnChooser keys={keys.data} columns={columns} onChange={ui.setColumns} onReset={() => ui.setColumns(null)} />
              <label className="runs-toggle">
                <input type="checkbox" checked={ui.showDeleted} onChange={(e) => ui.setShowDeleted(e.target.checked)} />
                {t('runs.showDeleted')}
              </label>
              <span className="runs-toolbar__spacer" />
              {n > 0 && <span className="muted">{t('runs.selected', { n })}</span>}
              {n > 0 && (
                <button type="button" className="btn btn--danger" onClick={() => deleteSelected().catch(reportError)}>
                  {t('runs.deleteSelected', { n })}
                </button>
              )}
              <button
                type="button"
                className="btn btn--primary"
                disabled={n < 2 || n > MAX_COMPARE}
                title={n > MAX_COMPARE ? t('runs.compare.tooMany', { max: MAX_COMPARE, n }) : n < 2 ? t('runs.compare.hint') : undefined}
                onClick={() => navigate('experiments', 'compare', ui.selected.join(','))}
              >
                {t('runs.compare', { n })}
              </button>
            </div>
            {n > MAX_COMPARE && (
              <p className="runs-limit" role="status">
                {t('runs.compare.tooMany', { max: MAX_COMPARE, n })}
              </p>
            )}
            {runs.runs.length === 0 && !runs.loading && !runs.error ? (
              <div className="empty-state runs-empty">
                {ui.filter ? (
                  <p>{t('runs.empty.filtered')}</p>
                ) : (
                  <>
                    <h2>{t('runs.empty.title')}</h2>
                    <p className="muted">{t('runs.empty.body')}</p>
                    <button type="button" className="btn btn--primary" onClick={() => navigate('experiments', 'new', primaryId)}>
                      {t('runs.head.newRun')}
                    </button>
                  </>
                )}
              </div>
            ) : (
              <RunsTable
                runs={runs.runs}
                columns={columns}
                orderBy={ui.orderBy}
                selected={selected}
                experiments={byId}
                onSort={onSort}
                onToggle={toggleSelected}
                onToggleAll={onToggleAll}
                onRestore={onRestore}
              />
            )}
            {runs.more && !runs.loading && (
              <p className="runs-more">
                {t('runs.more', { n: runs.runs.length })}{' '}
                <button type="button" className="btn btn--small" onClick={runs.loadMore}>
                  {t('runs.loadMore')}
                </button>
              </p>
            )}
          </>
        )}
      </div>
    </div>
  );
}
