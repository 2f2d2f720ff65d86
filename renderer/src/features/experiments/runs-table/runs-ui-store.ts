import { create } from 'zustand';
import { DEFAULT_EXPERIMENT_ID } from '../../../../../shared/tracking';
import { DEFAULT_ORDER_BY } from './columns';

/**
 * The runs table's UI state, kept while the user opens a run and comes back:
 * which experiments are shown, the applied filter, order and columns, the
 * selection and the toggles. Stored data (runs, experiments) is never kept here.
 */
export interface RunsUiState {
  /** The experiments whose runs are shown (the first is the one the page is about). */
  experimentIds: number[];
  /** The filter the table applies (the box's text is local until Enter). */
  filter: string;
  orderBy: string[];
  /** Chosen columns, or null for the defaults of the experiment's keys. */
  columns: string[] | null;
  showDeleted: boolean;
  showTrash: boolean;
  selected: string[];
  /** The saved view last applied (its id), cleared when the filter, order or columns change by hand. */
  viewId: number | null;
  setFilter(filter: string): void;
  setOrderBy(orderBy: string[]): void;
  setColumns(columns: string[] | null): void;
  applyView(view: { id: number; filter: string; orderBy: string[]; columns: string[] }): void;
  openExperiment(id: number): void;
  toggleExperiment(id: number): void;
  setShowDeleted(on: boolean): void;
  setShowTrash(on: boolean): void;
  toggleSelected(runId: string): void;
  setSelected(runIds: string[]): void;
}

export const useRunsUi = create<RunsUiState>((set) => ({
  experimentIds: [DEFAULT_EXPERIMENT_ID],
  filter: '',
  orderBy: DEFAULT_ORDER_BY,
  columns: null,
  showDeleted: false,
  showTrash: false,
  selected: [],
  viewId: null,
  setFilter: (filter) => set({ filter, viewId: null }),
  setOrderBy: (orderBy) => set({ orderBy, viewId: null }),
  setColumns: (columns) => set({ columns, viewId: null }),
  applyView: (view) =>
    set({
      viewId: view.id,
      filter: view.filter,
      orderBy: view.orderBy.length ? view.orderBy : DEFAULT_ORDER_BY,
      columns: view.columns.length ? view.columns : null,
    }),
  openExperiment: (id) =>
    set((s) =>
      s.experimentIds.length === 1 && s.experimentIds[0] === id
        ? { showTrash: false }
        : { experimentIds: [id], selected: [], showTrash: false, viewId: null, columns: null },
    ),
  toggleExperiment: (id) =>
    set((s) => {
      const has = s.experimentIds.includes(id);
      if (has && s.experimentIds.length === 1) return s;
      return { experimentIds: has ? s.experimentIds.filter((e) => e !== id) : [...s.experimentIds, id], selected: [], showTrash: false };
    }),
  setShowDeleted: (showDeleted) => set({ showDeleted, selected: [] }),
  setShowTrash: (showTrash) => set({ showTrash }),
  toggleSelected: (runId) =>
    set((s) => ({ selected: s.selected.includes(runId) ? s.selected.filter((r) => r !== runId) : [...s.selected, runId] })),
  setSelected: (selected) => set({ selected }),
}));
