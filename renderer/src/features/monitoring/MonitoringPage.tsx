import { lazy } from 'react';
import { useRouter } from '../../app/router';
import { useT } from '../../i18n';
import './monitoring.css';

const MonitoringHome = lazy(() => import('./MonitoringHome'));
const NewCheckPage = lazy(() => import('./NewCheckPage'));
const ReportPage = lazy(() => import('./ReportPage'));
const ModelMonitorPage = lazy(() => import('./ModelMonitorPage'));

/**
 * Monitoring, by route:
 * - `#/monitoring`: alerts, recent checks, drift trend per model or dataset;
 * - `#/monitoring/new[?model=N&version=V | ?datasetVersion=ID]`: a new drift check;
 * - `#/monitoring/check/ID`: one drift report;
 * - `#/monitoring/model/NAME`: prediction monitoring of a served model.
 */
export default function MonitoringPage() {
  const t = useT();
  const segments = useRouter((s) => s.route.segments);
  // The New check link carries its preset after '?', which the router leaves inside the segment.
  const [first, second, ...rest] = segments.map((s, i) => (i === 0 ? s.split('?')[0] : s));
  if (first === undefined || first === '') return <MonitoringHome />;
  if (first === 'new' && second === undefined) return <NewCheckPage key={window.location.hash} />;
  if (first === 'check' && second !== undefined && /^[1-9]\d*$/.test(second) && rest.length === 0)
    return <ReportPage key={second} id={Number(second)} />;
  if (first === 'model' && second !== undefined && rest.length === 0) return <ModelMonitorPage key={second} name={second} />;
  return (
    <div className="page">
      <p>
        <a href="#/monitoring">← {t('mon.title')}</a>
      </p>
      <p className="empty-state" role="alert">
        {t('mon.badRoute', { path: segments.join('/') })}
      </p>
    </div>
  );
}
