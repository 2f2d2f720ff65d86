import { useT } from '../../i18n';
import { AuditTable } from './audit/audit-table';

/** `#/registry/audit`: every model's audit log, filterable, with the CSV export. */
export default function AuditPage() {
  const t = useT();
  return (
    <div className="page reg-page reg-audit-page">
      <p className="reg-crumb">
        <a href="#/registry">← {t('reg.back')}</a>
      </p>
      <h1>{t('reg.audit.title')}</h1>
      <p className="muted">{t('reg.audit.subtitle')}</p>
      <AuditTable />
    </div>
  );
}
