import { useState } from 'react';
import type { RegisteredModelDetail } from '../../../../../shared/contracts/registry';
import { commentSchema, REGISTRY_LIMITS, type ModelStage, type ModelVersion } from '../../../../../shared/registry';
import { useT } from '../../../i18n';
import { api } from '../../../lib/api';
import { Dialog, InlineError } from '../dialog';

/** The comment every transition needs, checked with the contract's own rule before asking main. */
function useComment() {
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const check = (): string | null => {
    const parsed = commentSchema.safeParse(comment);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'A comment is required.');
      return null;
    }
    return parsed.data;
  };
  return { comment, setComment, error, setError, check };
}

function CommentField({ value, onChange, label }: { value: string; onChange(v: string): void; label: string }) {
  return (
    <label className="reg-field">
      {label}
      <textarea
        value={value}
        onChange={(e) => onChange(e.target.value)}
        rows={3}
        data-autofocus
        maxLength={REGISTRY_LIMITS.maxCommentLength}
      />
    </label>
  );
}

/**
 * Moves a version to a stage: asks why (required); for Production offers to
 * keep the current Production version(s) too (A/B), and says when the move
 * will be a request for approval instead.
 */
export function TransitionDialog({
  detail,
  version,
  toStage,
  onClose,
  onDone,
}: {
  detail: RegisteredModelDetail;
  version: ModelVersion;
  toStage: ModelStage;
  onClose(): void;
  /** What happened, for the board's status line. */
  onDone(message: string): void;
}) {
  const t = useT();
  const c = useComment();
  const [keep, setKeep] = useState(false);
  const [busy, setBusy] = useState(false);
  const current = detail.model.production.filter((v) => v !== version.version);
  const needsApproval = toStage === 'Production' && detail.model.requireApproval;
  const submit = async () => {
    const comment = c.check();
    if (comment === null) return;
    setBusy(true);
    try {
      const result = await api.call('registry:transition', {
        name: version.name,
        version: version.version,
        stage: toStage,
        comment,
        keepExisting: toStage === 'Production' && keep,
      });
      onDone(
        result.done
          ? t('reg.move.done', { version: version.version, stage: t(`reg.stage.${toStage}`) })
          : t('reg.move.requested', { version: version.version, id: result.request.id }),
      );
    } catch (err) {
      c.setError((err as Error).message);
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={t('reg.move.title', { version: version.version, from: t(`reg.stage.${version.stage}`), to: t(`reg.stage.${toStage}`) })}
      onClose={onClose}
      onSubmit={() => void submit()}
      testId="transition-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('reg.cancel')}
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {needsApproval ? t('reg.move.request') : t('reg.move.confirm')}
          </button>
        </>
      }
    >
      {needsApproval && <p className="reg-note">{t('reg.move.approvalNote')}</p>}
      {toStage === 'Production' && current.length > 0 && (
        <>
          <p className="muted">{t('reg.move.archiveNote', { versions: current.map((v) => `v${v}`).join(', ') })}</p>
          <label className="reg-check">
            <input type="checkbox" checked={keep} onChange={(e) => setKeep(e.target.checked)} />
            {t('reg.move.keep', { versions: current.map((v) => `v${v}`).join(', ') })}
          </label>
        </>
      )}
      <CommentField label={t('reg.move.comment')} value={c.comment} onChange={(v) => (c.setComment(v), c.setError(null))} />
      <InlineError message={c.error} testId="transition-error" />
    </Dialog>
  );
}

/** Puts the previous Production version back, with the reason. */
export function RollbackDialog({ name, onClose, onDone }: { name: string; onClose(): void; onDone(message: string): void }) {
  const t = useT();
  const c = useComment();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const comment = c.check();
    if (comment === null) return;
    setBusy(true);
    try {
      const v = await api.call('registry:rollback', { name, comment });
      onDone(t('reg.rollback.done', { version: v.version }));
    } catch (err) {
      c.setError((err as Error).message);
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={t('reg.rollback.title')}
      onClose={onClose}
      onSubmit={() => void submit()}
      testId="rollback-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('reg.cancel')}
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {t('reg.rollback.confirm')}
          </button>
        </>
      }
    >
      <p className="muted">{t('reg.rollback.hint')}</p>
      <CommentField label={t('reg.rollback.comment')} value={c.comment} onChange={(v) => (c.setComment(v), c.setError(null))} />
      <InlineError message={c.error} testId="rollback-error" />
    </Dialog>
  );
}
