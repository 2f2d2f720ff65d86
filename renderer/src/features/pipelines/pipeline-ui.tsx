import type { PipelineSource, PipelineRunStatus, PipelineStepStatus } from '../../../../shared/pipelines';
import { useT } from '../../i18n';

/** A run's or a step's status as a coloured pill (the same colours as the step graph). */
export function StatusPill({ status, kind = 'run' }: { status: PipelineRunStatus | PipelineStepStatus; kind?: 'run' | 'step' }) {
  const t = useT();
  return (
    <span className={`pl-pill pl-pill--${status}`} data-status={status}>
      {t(`pl.${kind}Status.${status}`)}
    </span>
  );
}

/** A stored time (ms) in the UI's locale; '—' when there is none. */
export function useTime() {
  const t = useT();
  return (ms: number | null | undefined) => (ms === null || ms === undefined ? '—' : t.dateTime(new Date(ms).toISOString()));
}

/** The data source in a few words: a dataset name, or the watched file and the dataset it goes into. */
export function SourceText({ source }: { source: PipelineSource }) {
  const t = useT();
  return source.kind === 'dataset' ? (
    <span>{t('pl.source.dataset', { name: source.dataset })}</span>
  ) : (
    <span title={source.path}>{t('pl.source.watch', { path: source.path.split(/[\\/]/).pop() ?? source.path, name: source.dataset })}</span>
  );
}

