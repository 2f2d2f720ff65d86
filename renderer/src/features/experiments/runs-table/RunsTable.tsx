import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useRef } from 'react';
import { ALGORITHM_IDS } from '../../../../../shared/training';
import { SYSTEM_TAGS, type Experiment, type RunSummary } from '../../../../../shared/tracking';
import { useT, type Translator } from '../../../i18n';
import {
  cellValue,
  columnLabel,
  columnWidth,
  formatDuration,
  formatMetric,
  fromOrderBy,
  isSortable,
  parseColumnId,
  statusWord,
} from './columns';

const ROW_HEIGHT = 34;
const SELECT_WIDTH = 36;

export interface RunsTableProps {
  runs: RunSummary[];
  columns: string[];
  orderBy: string[];
  selected: ReadonlySet<string>;
  experiments: ReadonlyMap<number, Experiment>;
  onSort(columnId: string): void;
  onToggle(runId: string): void;
  onToggleAll(on: boolean): void;
  onRestore(runId: string): void;
}

/**
 * The runs, one row each, virtualised: only the rows in view (and a few
 * around) are in the DOM, under a header that stays put. Sorting is the
 * server's (a header click asks for a new order_by).
 */
export function RunsTable(props: RunsTableProps) {
  const t = useT();
  const { runs, columns } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: runs.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (i) => runs[i].info.runId,
  });
  const template = `${SELECT_WIDTH}px ${columns.map((c) => `${columnWidth(c)}px`).join(' ')}`;
  const width = SELECT_WIDTH + columns.reduce((sum, c) => sum + columnWidth(c), 0);
  const sort = props.orderBy.length ? fromOrderBy(props.orderBy[0]) : null;
  const allSelected = runs.length > 0 && runs.every((r) => props.selected.has(r.info.runId));
  const now = Date.now();

  return (
    <div
      className="runs-grid"
      ref={scroller}
      role="table"
      aria-label={t('runs.table.label')}
      aria-rowcount={runs.length + 1}
      data-testid="runs-grid"
    >
      <div className="runs-grid__head" role="rowgroup" style={{ width }}>
        <div className="runs-grid__row runs-grid__row--head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
          <div className="runs-grid__cell runs-grid__cell--select" role="columnheader">
            <input
              type="checkbox"
              aria-label={t('runs.table.selectAll')}
              checked={allSelected}
              disabled={runs.length === 0}
              onChange={(e) => props.onToggleAll(e.target.checked)}
            />
          </div>
          {columns.map((c) => {
            const label = columnLabel(c, (k) => t(`runs.col.${k}`));
            const sorted = sort?.id === c ? (sort.ascending ? 'ascending' : 'descending') : 'none';
            const numeric = parseColumnId(c)?.kind === 'metrics';
            return (
              <div
                key={c}
                className={`runs-grid__cell runs-grid__th${numeric ? ' runs-grid__cell--num' : ''}`}
                role="columnheader"
                aria-sort={sorted}
                data-column={c}
                title={c}
              >
                {isSortable(c) ? (
                  <button type="button" className="runs-grid__sort" onClick={() => props.onSort(c)}>
                    <span className="runs-grid__label">{label}</span>
                    <span className="runs-grid__arrow" aria-hidden="true">
                      {sorted === 'ascending' ? '▲' : sorted === 'descending' ? '▼' : ''}
                    </span>
                  </button>
                ) : (
                  <span className="runs-grid__label">{label}</span>
                )}
              </div>
            );
          })}
        </div>
      </div>
      <div className="runs-grid__body" role="rowgroup" style={{ height: virtualizer.getTotalSize(), width }}>
        {virtualizer.getVirtualItems().map((item) => {
          const run = runs[item.index];
          return (
            <RunRow
              key={item.key}
              run={run}
              index={item.index}
              top={item.start}
              template={template}
              columns={columns}
              selected={props.selected.has(run.info.runId)}
              experiments={props.experiments}
              now={now}
              t={t}
              onToggle={props.onToggle}
              onRestore={props.onRestore}
            />
          );
        })}
      </div>
    </div>
  );
}

interface RowProps {
  run: RunSummary;
  index: number;
  top: number;
  template: string;
  columns: string[];
  selected: boolean;
  experiments: ReadonlyMap<number, Experiment>;
  now: number;
  t: Translator;
  onToggle(runId: string): void;
  onRestore(runId: string): void;
}

const RunRow = memo(function RunRow({ run, index, top, template, columns, selected, experiments, now, t, onToggle, onRestore }: RowProps) {
  const deleted = run.info.lifecycleStage === 'deleted';
  return (
    <div
      className={`runs-grid__row${selected ? ' runs-grid__row--selected' : ''}${deleted ? ' runs-grid__row--deleted' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-run-id={run.info.runId}
      style={{ gridTemplateColumns: template, transform: `translateY(${top}px)` }}
    >
      <div className="runs-grid__cell runs-grid__cell--select" role="cell">
        <input
          type="checkbox"
          aria-label={t('runs.table.select', { name: run.info.name })}
          checked={selected}
          onChange={() => onToggle(run.info.runId)}
        />
      </div>
      {columns.map((c) => (
        <Cell key={c} run={run} id={c} experiments={experiments} now={now} t={t} deleted={deleted} onRestore={onRestore} />
      ))}
    </div>
  );
});

function Cell({
  run,
  id,
  experiments,
  now,
  t,
  deleted,
  onRestore,
}: {
  run: RunSummary;
  id: string;
  experiments: ReadonlyMap<number, Experiment>;
  now: number;
  t: Translator;
  deleted: boolean;
  onRestore(runId: string): void;
}) {
  const ref = parseColumnId(id)!;
  const value = cellValue(run, id, now);
  const cell = (content: React.ReactNode, title?: string, extra = '') => (
    <div className={`runs-grid__cell${extra}`} role="cell" title={title} data-column={id}>
      {content}
    </div>
  );
  if (ref.kind === 'attributes') {
    switch (ref.key) {
      case 'run_name':
        return cell(
          <>
            <a className="runs-grid__name" href={`#/experiments/run/${run.info.runId}`}>
              {run.info.name}
            </a>
            {deleted && (
              <button type="button" className="btn btn--small runs-grid__restore" onClick={() => onRestore(run.info.runId)}>
                {t('runs.table.restore')}
              </button>
            )}
          </>,
          run.info.name,
          ' runs-grid__cell--name',
        );
      case 'status': {
        const word = statusWord(run.info.status);
        const title = word === 'failed' && run.info.error ? run.info.error : undefined;
        return cell(
          <span className={`runs-status runs-status--${word}`} data-status={word}>
            {t(`runs.status.${word}`)}
          </span>,
          title,
        );
      }
      case 'start_time':
      case 'end_time':
        return typeof value === 'number'
          ? cell(
              t.dateTime(new Date(value).toISOString(), { dateStyle: 'short', timeStyle: 'short' }),
              t.dateTime(new Date(value).toISOString(), { dateStyle: 'full', timeStyle: 'medium' }),
            )
          : cell('—', undefined, ' muted');
      case 'duration':
        return typeof value === 'number'
          ? cell(formatDuration(value, t.number), undefined, ' runs-grid__cell--num')
          : cell('—', undefined, ' muted');
      case 'experiment': {
        const name = experiments.get(run.info.experimentId)?.name ?? String(run.info.experimentId);
        return cell(name, name);
      }
    }
  }
  if (value === undefined) return cell('—', undefined, ref.kind === 'metrics' ? ' runs-grid__cell--num muted' : ' muted');
  if (ref.kind === 'metrics' && typeof value === 'number') {
    const text = formatMetric(value, t.number);
    return cell(text, String(value), ' runs-grid__cell--num');
  }
  const text = String(value);
  if (ref.kind === 'tags' && ref.key === SYSTEM_TAGS.modelType && (ALGORITHM_IDS as readonly string[]).includes(text)) {
    return cell(t(`runs.model.${text}`), text);
  }
  return cell(text === '' ? <span className="muted">{t('runs.table.empty')}</span> : text, text);
}
