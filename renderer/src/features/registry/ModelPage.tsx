import { useState, type KeyboardEvent } from 'react';
import { useT } from '../../i18n';
import { useQuery } from '../../lib/use-query';
import { AuditTable } from './audit/audit-table';
import { AliasesCard } from './model/aliases';
import { ApprovalsCard } from './model/approvals';
import { ModelBoard } from './model/board';
import { ModelSettingsCard } from './model/model-settings';
import { countKey } from './registry-format';
import { ServingPanel } from './serving/serving-panel';
import { useMinuteClock } from './use-minute-clock';

const TABS = ['board', 'serving', 'audit', 'settings'] as const;
type Tab = (typeof TABS)[number];

/** `#/registry/NAME`: the model's board (with approvals and aliases), serving, its audit log and settings. */
export default function ModelPage({ name }: { name: string }) {
  const t = useT();
  const detail = useQuery('registry:model', { name }, ['registry']);
  const servers = useQuery('serving:list', { name }, ['serving']);
  const [tab, setTab] = useState<Tab>('board');
  const now = useMinuteClock();
  const served = new Set(
    (servers.data ?? [])
      .filter((s) => s.state === 'running')
      .flatMap((s) => [s.version, s.challengerVersion])
      .filter((v): v is number => v !== null),
  );

  if (detail.error && !detail.data)
    return (
      <div className="page reg-page">
        <p>
          <a href="#/registry">← {t('reg.back')}</a>
        </p>
        <p className="reg-error" role="alert">
          {detail.error.message}
        </p>
      </div>
    );
  const d = detail.data;
  if (!d) return <div className="page muted">{t('reg.loading')}</div>;
  const { model } = d;
  const onTabKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = TABS[(TABS.indexOf(tab) + step + TABS.length) % TABS.length];
    setTab(next);
    (e.currentTarget.children[TABS.indexOf(next)] as HTMLElement | undefined)?.focus();
  };
  const running = (servers.data ?? []).filter((s) => s.state === 'running').length;
  return (
    <div className="page reg-page reg-model-page" data-model={model.name}>
      <p className="reg-crumb">
        <a href="#/registry">← {t('reg.back')}</a>
      </p>
      <div className="reg-title">
        <h1 title={model.name}>{model.name}</h1>
        <span className="badge">{t(countKey('reg.versions', model.versionCount), { n: model.versionCount })}</span>
        {model.requireApproval && <span className="reg-pill reg-pill--pending">{t('reg.model.approvalRequired')}</span>}
        <div className="reg-title__actions">
          <a className="btn" href={`#/monitoring/model/${encodeURIComponent(model.name)}`}>
            {t('mon.link.monitor')}
          </a>
        </div>
      </div>
      {model.description && <p className="reg-description reg-wrap">{model.description}</p>}
      <div className="tabs" role="tablist" aria-label={model.name} onKeyDown={onTabKey}>
        {TABS.map((x) => (
          <button
            key={x}
            type="button"
            role="tab"
            aria-selected={tab === x}
            tabIndex={tab === x ? 0 : -1}
            className="tabs__tab"
            onClick={() => setTab(x)}
          >
            {t(`reg.tab.${x}`)}
            {x === 'board' && d.pendingApprovals.length > 0 && <span className="badge">{d.pendingApprovals.length}</span>}
            {x === 'serving' && running > 0 && <span className="badge">{running}</span>}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === 'board' && (
          <>
            <ApprovalsCard name={model.name} pending={d.pendingApprovals} />
            {d.versions.length === 0 ? (
              <p className="empty-state">{t('reg.model.noVersions')}</p>
            ) : (
              <ModelBoard detail={d} served={served} now={now} />
            )}
            <AliasesCard key={model.name} detail={d} />
          </>
        )}
        {tab === 'serving' && <ServingPanel detail={d} />}
        {tab === 'audit' && <AuditTable model={model.name} />}
        {tab === 'settings' && <ModelSettingsCard key={model.name} model={model} />}
      </div>
    </div>
  );
}
