import { useState } from 'react';
import { commentSchema, type ApprovalRequest } from '../../../../../shared/registry';
import { useT } from '../../../i18n';
import { api } from '../../../lib/api';
import { useQuery } from '../../../lib/use-query';
import { InlineError } from '../dialog';

/**
 * Requests for a Production transition: approve or reject with a comment, or
 * cancel. Main decides who may approve (a requester may not approve their own
 * request unless the workspace allows it); its refusal shows under the request.
 */
export function ApprovalsCard({ name, pending }: { name: string; pending: ApprovalRequest[] }) {
  const t = useT();
  const history = useQuery('registry:approvals', { name }, ['registry']);
  const decided = (history.data ?? []).filter((r) => r.status !== 'pending');
  if (pending.length === 0 && decided.length === 0) return null;
  return (
    <section className="card reg-approvals" aria-label={t('reg.approvals.heading')}>
      <h2>
        {t('reg.approvals.heading')} {pending.length > 0 && <span className="badge">{pending.length}</span>}
      </h2>
      {pending.length === 0 && <p className="muted">{t('reg.approvals.none')}</p>}
      <ul className="reg-approvals__list">
        {pending.map((r) => (
          <PendingRequest key={r.id} request={r} />
        ))}
      </ul>
      {decided.length > 0 && (
        <details>
          <summary>{t('reg.approvals.decided', { n: decided.length })}</summary>
          <table className="table reg-table">
            <thead>
              <tr>
                <th>{t('reg.approvals.version')}</th>
                <th>{t('reg.approvals.status')}</th>
                <th>{t('reg.approvals.requestedBy')}</th>
                <th>{t('reg.approvals.decidedBy')}</th>
                <th>{t('reg.approvals.comment')}</th>
              </tr>
            </thead>
            <tbody>
              {decided.map((r) => (
                <tr key={r.id} data-request={r.id}>
                  <td>
                    v{r.version} → {t(`reg.stage.${r.toStage}`)}
                  </td>
                  <td>
                    <span className={`reg-pill reg-pill--${r.status}`}>{t(`reg.approvals.status.${r.status}`)}</span>
                  </td>
                  <td>{r.requestedBy}</td>
                  <td>{r.decidedBy ?? '—'}</td>
                  <td className="reg-wrap">{r.decisionComment || r.comment}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}

function PendingRequest({ request: r }: { request: ApprovalRequest }) {
  const t = useT();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (p: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await p();
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const decide = (decision: 'approve' | 'reject') => {
    const parsed = commentSchema.safeParse(comment);
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? null);
    void run(() => api.call('registry:decide', { requestId: r.id, decision, comment: parsed.data }));
  };
  return (
    <li className="reg-request" data-request={r.id}>
      <p className="reg-request__what">
        <strong>
          v{r.version} → {t(`reg.stage.${r.toStage}`)}
        </strong>{' '}
        <span className="muted">
          {t('reg.approvals.by', { who: r.requestedBy, when: t.dateTime(new Date(r.requestedAt).toISOString()) })}
        </span>
      </p>
      <p className="reg-request__comment reg-wrap">“{r.comment}”</p>
      <div className="form-row">
        <label className="reg-grow">
          {t('reg.approvals.decisionComment')}
          <input value={comment} onChange={(e) => (setComment(e.target.value), setError(null))} maxLength={5000} />
        </label>
        <button type="button" className="btn btn--primary" disabled={busy} onClick={() => decide('approve')}>
          {t('reg.approvals.approve')}
        </button>
        <button type="button" className="btn btn--danger" disabled={busy} onClick={() => decide('reject')}>
          {t('reg.approvals.reject')}
        </button>
        <button
          type="button"
          className="btn"
          disabled={busy}
          onClick={() => void run(() => api.call('registry:cancelRequest', { requestId: r.id }))}
        >
          {t('reg.approvals.cancelRequest')}
        </button>
      </div>
      <InlineError message={error} testId="approval-error" />
    </li>
  );
}
