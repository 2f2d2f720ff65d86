import { useT } from '../../i18n';
import { useQuery } from '../../lib/use-query';
import { MlflowFilesSection } from './MlflowFilesSection';
import { TeamSyncSection } from './TeamSyncSection';
import './mlflow.css';

/**
 * MLflow, where the workbench meets it: the endpoint's address (Settings turns
 * it on), an `mlruns/` folder in or out, and a team's MLflow server to push
 * runs and models to and pull them from.
 */
export default function MlflowPage() {
  const t = useT();
  const status = useQuery('mlflow:status', {}, ['settings', 'mlflow']);
  return (
    <div className="page mlflow-page">
      <header className="page-header">
        <h1>{t('mlflow.title')}</h1>
        <p className="muted">{t('mlflow.intro')}</p>
        <p className="mlflow-endpoint" aria-label={t('mlflow.endpoint')}>
          {status.data?.running && status.data.url ? t('mlflow.endpoint.running', { url: status.data.url }) : t('mlflow.endpoint.off')}{' '}
          <a href="#/settings">{t('mlflow.endpoint.settings')}</a>
        </p>
      </header>
      <MlflowFilesSection />
      <TeamSyncSection />
    </div>
  );
}
