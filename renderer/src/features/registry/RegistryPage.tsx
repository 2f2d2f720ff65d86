import { lazy } from 'react';
import { useRouter } from '../../app/router';
import { useT } from '../../i18n';
import './registry.css';

const RegistryHome = lazy(() => import('./RegistryHome'));
const ModelPage = lazy(() => import('./ModelPage'));
const VersionPage = lazy(() => import('./VersionPage'));
const AuditPage = lazy(() => import('./AuditPage'));

/**
 * The model registry, by route:
 * - `#/registry`: the registered models;
 * - `#/registry/audit`: the audit log of every model;
 * - `#/registry/NAME`: one model's board, serving, audit and settings;
 * - `#/registry/NAME/VERSION`: one version's model card.
 */
export default function RegistryPage() {
  const t = useT();
  const segments = useRouter((s) => s.route.segments);
  const [name, version, ...rest] = segments;
  if (name === undefined) return <RegistryHome />;
  if (name === 'audit' && version === undefined) return <AuditPage />;
  if (version === undefined) return <ModelPage key={name} name={name} />;
  if (/^[1-9]\d*$/.test(version) && rest.length === 0)
    return <VersionPage key={`${name}/${version}`} name={name} version={Number(version)} />;
  return (
    <div className="page">
      <p>
        <a href="#/registry">← {t('reg.back')}</a>
      </p>
      <p className="empty-state" role="alert">
        {t('reg.badRoute', { path: segments.join('/') })}
      </p>
    </div>
  );
}
