import { lazy } from 'react';
import { useRouter } from '../../app/router';
import { useT } from '../../i18n';
import './pipelines.css';

const PipelinesHome = lazy(() => import('./PipelinesHome'));
const PipelineWizard = lazy(() => import('./PipelineWizard'));
const PipelineDetailPage = lazy(() => import('./PipelineDetailPage'));
const PipelineRunPage = lazy(() => import('./PipelineRunPage'));

/**
 * Pipelines, by route:
 * - `#/pipelines`: the pipelines, their triggers and last runs, and the unread notifications;
 * - `#/pipelines/new`, `#/pipelines/edit/NAME`: the wizard (an edit saves a new version);
 * - `#/pipelines/p/NAME`: one pipeline's definition, versions and runs;
 * - `#/pipelines/run/ID`: one run's steps as a graph, live.
 */
export default function PipelinesPage() {
  const t = useT();
  const segments = useRouter((s) => s.route.segments);
  const [first, second, ...rest] = segments;
  if (first === undefined) return <PipelinesHome />;
  if (first === 'new' && second === undefined) return <PipelineWizard key="new" />;
  if (first === 'edit' && second !== undefined && rest.length === 0) return <PipelineWizard key={`edit/${second}`} editing={second} />;
  if (first === 'p' && second !== undefined && rest.length === 0) return <PipelineDetailPage key={second} name={second} />;
  if (first === 'run' && second !== undefined && /^[1-9]\d*$/.test(second) && rest.length === 0)
    return <PipelineRunPage key={second} id={Number(second)} />;
  return (
    <div className="page">
      <p>
        <a href="#/pipelines">← {t('pl.title')}</a>
      </p>
      <p className="empty-state" role="alert">
        {t('pl.badRoute', { path: segments.join('/') })}
      </p>
    </div>
  );
}
