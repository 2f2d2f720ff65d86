import { create } from 'zustand';
import { AppError } from '../../../shared/errors';

export interface ShownError {
  id: number;
  code: string;
  message: string;
}

interface ErrorsState {
  errors: ShownError[];
  dismiss(id: number): void;
}

let nextId = 1;

/** Errors shown in the error area until dismissed. */
export const useErrors = create<ErrorsState>((set) => ({
  errors: [],
  dismiss: (id) => set((s) => ({ errors: s.errors.filter((e) => e.id !== id) })),
}));

/** Shows an error (anything thrown) in the error area; repeated identical messages are not stacked. */
export function reportError(err: unknown): void {
  const code = err instanceof AppError ? err.code : 'internal';
  const message = err instanceof Error ? err.message : String(err);
  useErrors.setState((s) => (s.errors.some((e) => e.message === message) ? s : { errors: [...s.errors.slice(-4), { id: nextId++, code, message }] }));
}
