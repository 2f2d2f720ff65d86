/**
 * How a run's status and duration read, in the runs table and on the run
 * page alike.
 */
import type { RunStatus } from '../../../../shared/tracking';

/** Formats a number for the UI language (the i18n `t.number`). */
export type NumberFormatter = (value: number, options?: Intl.NumberFormatOptions) => string;

/** The UI's word for a run status: MLflow's KILLED is "cancelled". */
export function statusWord(status: RunStatus): 'running' | 'scheduled' | 'finished' | 'failed' | 'cancelled' {
  switch (status) {
    case 'RUNNING':
      return 'running';
    case 'SCHEDULED':
      return 'scheduled';
    case 'FINISHED':
      return 'finished';
    case 'FAILED':
      return 'failed';
    case 'KILLED':
      return 'cancelled';
  }
}

/** A duration in milliseconds: 850 ms, 12.3 s, 4 min 05 s, 2 h 07 min. */
export function formatDuration(ms: number, format: NumberFormatter): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${format(Math.round(ms))} ms`;
  const s = ms / 1000;
  if (s < 60) return `${format(s, { maximumFractionDigits: 1 })} s`;
  const totalS = Math.round(s);
  if (totalS < 3600) return `${Math.floor(totalS / 60)} min ${String(totalS % 60).padStart(2, '0')} s`;
  const totalMin = Math.round(totalS / 60);
  return `${format(Math.floor(totalMin / 60))} h ${String(totalMin % 60).padStart(2, '0')} min`;
}
