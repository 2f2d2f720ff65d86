import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/** One entry of the navigation; the page is loaded lazily so heavy chart code stays out of the first bundle. */
export interface PageDef {
  id: string;
  labelKey: string;
  icon: string;
  component: LazyExoticComponent<ComponentType>;
}

/** The navigation, in order (each capability's page, loaded lazily). */
export const PAGES: readonly PageDef[] = [
  { id: 'data', labelKey: 'nav.data', icon: '▦', component: lazy(() => import('../features/data/DataPage')) },
  { id: 'experiments', labelKey: 'nav.experiments', icon: '⚗', component: lazy(() => import('../features/experiments/ExperimentsPage')) },
  { id: 'registry', labelKey: 'nav.registry', icon: '▣', component: lazy(() => import('../features/registry/RegistryPage')) },
  { id: 'monitoring', labelKey: 'nav.monitoring', icon: '◔', component: lazy(() => import('../features/monitoring/MonitoringPage')) },
  { id: 'pipelines', labelKey: 'nav.pipelines', icon: '⟳', component: lazy(() => import('../features/pipelines/PipelinesPage')) },
  { id: 'mlflow', labelKey: 'nav.mlflow', icon: '⇄', component: lazy(() => import('../features/mlflow/MlflowPage')) },
  { id: 'maturity', labelKey: 'nav.maturity', icon: '◆', component: lazy(() => import('../features/maturity/MaturityPage')) },
  { id: 'reports', labelKey: 'nav.reports', icon: '▤', component: lazy(() => import('../features/reports/ReportsPage')) },
  { id: 'settings', labelKey: 'nav.settings', icon: '⚙', component: lazy(() => import('../features/settings/SettingsPage')) },
];

export const DEFAULT_PAGE = 'data';
