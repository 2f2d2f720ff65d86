/**
 * The runs table's columns as pure data: column ids (the same strings a saved
 * view stores: `metrics.KEY`, `params.KEY`, `tags.KEY`, `attributes.NAME`),
 * their MLflow order_by strings and back, the default set, and how a run's
 * value in a column is read and formatted. No React, no DOM.
 */
import { parseOrderByClause } from '../../../../../shared/run-filter';
import { fromWireNumber, SYSTEM_TAGS, type RunSummary, type WireNumber } from '../../../../../shared/tracking';
import { formatDuration, statusWord, type NumberFormatter } from '../run-text';

export { formatDuration, statusWord };

/** Where a column's value comes from. */
export type ColumnKind = 'metrics' | 'params' | 'tags' | 'attributes';

/** Attributes the table can show; the ones MLflow can sort by carry their order_by name. */
export const ATTRIBUTE_COLUMNS = {
  run_name: { sortable: true },
  status: { sortable: true },
  start_time: { sortable: true },
  end_time: { sortable: true },
  duration: { sortable: false },
  user_id: { sortable: true },
  run_id: { sortable: true },
  experiment: { sortable: false },
} as const;
export type AttributeColumn = keyof typeof ATTRIBUTE_COLUMNS;

export interface ColumnRef {
  kind: ColumnKind;
  key: string;
}

/** `metrics.accuracy` → { kind: 'metrics', key: 'accuracy' }; keys may hold dots (tags.mlflow.runName). */
export function parseColumnId(id: string): ColumnRef | null {
  const dot = id.indexOf('.');
  if (dot <= 0) return null;
  const kind = id.slice(0, dot);
  const key = id.slice(dot + 1);
  if (!key) return null;
  if (kind === 'attributes') return key in ATTRIBUTE_COLUMNS ? { kind, key } : null;
  if (kind === 'metrics' || kind === 'params' || kind === 'tags') return { kind, key };
  return null;
}

export function columnId(kind: ColumnKind, key: string): string {
  return `${kind}.${key}`;
}

/** A key MLflow's parser reads unquoted: identifiers joined by dots. Others go in backticks. */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** A key as it is written in a filter or an order_by clause. */
export function quoteKey(key: string): string {
  return PLAIN_KEY.test(key) ? key : `\`${key}\``;
}

/** Whether the server can sort by this column. */
export function isSortable(id: string): boolean {
  const ref = parseColumnId(id);
  if (!ref) return false;
  return ref.kind !== 'attributes' || ATTRIBUTE_COLUMNS[ref.key as AttributeColumn].sortable;
}

/** The MLflow order_by clause that sorts by a column (`metrics.accuracy DESC`), or null when it cannot be sorted. */
export function toOrderBy(id: string, ascending: boolean): string | null {
  if (!isSortable(id)) return null;
  const ref = parseColumnId(id)!;
  return `${ref.kind}.${quoteKey(ref.key)} ${ascending ? 'ASC' : 'DESC'}`;
}

const KIND_OF_TYPE: Record<string, ColumnKind> = { metric: 'metrics', parameter: 'params', tag: 'tags', attribute: 'attributes' };

/** The column an order_by clause sorts (`params.model ASC` → params.model, ascending), or null when it names none. */
export function fromOrderBy(clause: string): { id: string; ascending: boolean } | null {
  try {
    const parsed = parseOrderByClause(clause);
    const kind = KIND_OF_TYPE[parsed.type];
    const key = kind === 'attributes' && (parsed.key === 'created' || parsed.key === 'Created') ? 'start_time' : parsed.key;
    const id = columnId(kind, key);
    return parseColumnId(id) ? { id, ascending: parsed.ascending } : null;
  } catch {
    return null;
  }
}

/** The headline metrics shown by default when some run logged them (classification and regression). */
export const HEADLINE_METRICS = ['accuracy', 'r2', 'cv_accuracy_mean', 'cv_r2_mean'];

/** The default columns for the keys an experiment has (the select box is not a column). */
export function defaultColumns(metricKeys: readonly string[], multipleExperiments = false): string[] {
  const present = new Set(metricKeys);
  // The headline metrics come right after the status: what an analyst compares first stays in view.
  return [
    'attributes.run_name',
    ...(multipleExperiments ? ['attributes.experiment'] : []),
    'attributes.status',
    ...HEADLINE_METRICS.filter((m) => present.has(m)).map((m) => columnId('metrics', m)),
    columnId('tags', SYSTEM_TAGS.modelType),
    columnId('tags', SYSTEM_TAGS.dataset),
    'attributes.start_time',
    'attributes.duration',
  ];
}

/** The metric, param and tag keys a set of columns shows: what the table asks the search for. */
export function columnKeys(columns: readonly string[]): { metrics: string[]; params: string[]; tags: string[] } {
  const keys = { metrics: [] as string[], params: [] as string[], tags: [] as string[] };
  for (const id of columns) {
    const ref = parseColumnId(id);
    if (ref && ref.kind !== 'attributes') keys[ref.kind].push(ref.key);
  }
  for (const list of Object.values(keys)) list.sort();
  return keys;
}

/** The default sort: newest first, as MLflow. */
export const DEFAULT_ORDER_BY = ['attributes.start_time DESC'];

/** A new sort when a header is clicked: the same column flips; a new one starts high-to-low for numbers and times, A→Z for text. */
export function nextSort(current: { id: string; ascending: boolean } | null, clicked: string): { id: string; ascending: boolean } {
  if (current?.id === clicked) return { id: clicked, ascending: !current.ascending };
  const ref = parseColumnId(clicked);
  const numeric = ref?.kind === 'metrics' || clicked === 'attributes.start_time' || clicked === 'attributes.end_time';
  return { id: clicked, ascending: !numeric };
}

/** A run's raw value in a column: a number for metrics and times, a string for params and tags, undefined when missing. */
export function cellValue(run: RunSummary, id: string, now = Date.now()): number | string | undefined {
  const ref = parseColumnId(id);
  if (!ref) return undefined;
  switch (ref.kind) {
    case 'metrics': {
      const v: WireNumber | undefined = run.metrics[ref.key];
      return v === undefined || v === null ? undefined : fromWireNumber(v);
    }
    case 'params':
      return run.params[ref.key];
    case 'tags':
      return run.tags[ref.key];
    case 'attributes':
      switch (ref.key as AttributeColumn) {
        case 'run_name':
          return run.info.name;
        case 'status':
          return run.info.status;
        case 'start_time':
          return run.info.startTime;
        case 'end_time':
          return run.info.endTime ?? undefined;
        case 'duration': {
          const live = run.info.status === 'RUNNING' || run.info.status === 'SCHEDULED';
          const end = run.info.endTime ?? (live ? now : undefined);
          return end === undefined ? undefined : Math.max(0, end - run.info.startTime);
        }
        case 'user_id':
          return run.info.userId;
        case 'run_id':
          return run.info.runId;
        case 'experiment':
          return run.info.experimentId;
      }
  }
  return undefined;
}

/**
 * A metric for the table: 4 significant digits below 1, 4 decimals above
 * (0.91234 → 0.9123, 0.000123456 → 0.0001235, 1234.56789 → 1,234.5679);
 * NaN and the infinities by name, never "null".
 */
export function formatMetric(value: number, format: NumberFormatter): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '∞';
  if (value === -Infinity) return '−∞';
  if (value !== 0 && Math.abs(value) < 1) return format(value, { maximumSignificantDigits: 4 });
  return format(value, { maximumFractionDigits: 4 });
}

/** The column's heading for metric, param and tag columns: the key; attributes are translated by the caller. */
export function columnLabel(id: string, translateAttribute: (key: string) => string): string {
  const ref = parseColumnId(id);
  if (!ref) return id;
  if (ref.kind === 'attributes') return translateAttribute(ref.key);
  if (ref.kind === 'tags' && ref.key === SYSTEM_TAGS.modelType) return translateAttribute('model');
  if (ref.kind === 'tags' && ref.key === SYSTEM_TAGS.dataset) return translateAttribute('dataset');
  return ref.key;
}

/** Width in pixels of a column (names wide, numbers narrow). */
export function columnWidth(id: string): number {
  const ref = parseColumnId(id);
  if (!ref) return 140;
  if (ref.kind === 'metrics') return 112;
  if (ref.kind === 'attributes') {
    const widths: Record<string, number> = {
      run_name: 240,
      status: 110,
      start_time: 170,
      end_time: 170,
      duration: 110,
      user_id: 120,
      run_id: 280,
      experiment: 160,
    };
    return widths[ref.key] ?? 140;
  }
  if (ref.key === SYSTEM_TAGS.dataset) return 160;
  return 150;
}
