import { useId, useState, type DragEvent, type KeyboardEvent } from 'react';
import type { RegisteredModelDetail } from '../../../../../shared/contracts/registry';
import { MODEL_STAGES, type ModelStage, type ModelVersion } from '../../../../../shared/registry';
import { useT } from '../../../i18n';
import { formatMetric, keyMetrics, neighbourStage, otherStages, relativeAge } from '../registry-format';
import { RollbackDialog, TransitionDialog } from './transition-dialog';

/** The drag payload's type, so a drop of anything else (a file, text) is ignored. */
const DRAG_TYPE = 'application/x-mlwb-model-version';

interface Move {
  version: ModelVersion;
  to: ModelStage;
}

/**
 * The board: one column per stage. A card moves by dragging it to a column,
 * by its "Move to" menu, or from the keyboard (Space picks it up, ←/→ choose a
 * column, Enter drops, Escape puts it back). Every move opens the transition
 * dialog, which asks why.
 */
export function ModelBoard({ detail, served, now }: { detail: RegisteredModelDetail; served: Set<number>; now: number }) {
  const t = useT();
  const [move, setMove] = useState<Move | null>(null);
  const [rollback, setRollback] = useState(false);
  const [status, setStatus] = useState('');
  const [dragging, setDragging] = useState<ModelVersion | null>(null);
  const [over, setOver] = useState<ModelStage | null>(null);
  const [grab, setGrab] = useState<Move | null>(null);
  const helpId = useId();
  const byStage = (stage: ModelStage) => detail.versions.filter((v) => v.stage === stage);
  const pending = new Map(detail.pendingApprovals.map((r) => [r.version, r]));
  const hasArchived = detail.versions.some((v) => v.stage === 'Archived');

  const finish = (message: string) => {
    setMove(null);
    setRollback(false);
    setStatus(message);
  };
  const open = (version: ModelVersion, to: ModelStage) => {
    setGrab(null);
    if (to !== version.stage) setMove({ version, to });
  };

  const onDragOver = (stage: ModelStage) => (e: DragEvent) => {
    if (!e.dataTransfer.types.includes(DRAG_TYPE) || dragging?.stage === stage) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    setOver(stage);
  };
  const onDrop = (stage: ModelStage) => (e: DragEvent) => {
    e.preventDefault();
    setOver(null);
    const number = Number(e.dataTransfer.getData(DRAG_TYPE));
    const version = detail.versions.find((v) => v.version === number);
    if (version) open(version, stage);
  };

  const onCardKey = (version: ModelVersion) => (e: KeyboardEvent<HTMLElement>) => {
    // Keys meant for the card's own links and menu stay theirs.
    if (e.target !== e.currentTarget) return;
    if (!grab || grab.version.version !== version.version) {
      if (e.key === ' ' || e.key === 'Enter') {
        e.preventDefault();
        setGrab({ version, to: version.stage });
        setStatus(t('reg.board.grabbed', { version: version.version, stage: t(`reg.stage.${version.stage}`) }));
      }
      return;
    }
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      const next = neighbourStage(grab.to, e.key === 'ArrowRight' ? 1 : -1);
      if (next) {
        setGrab({ version, to: next });
        setStatus(t('reg.board.over', { stage: t(`reg.stage.${next}`) }));
      }
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      if (grab.to === version.stage) {
        setGrab(null);
        setStatus(t('reg.board.dropCancelled', { version: version.version }));
      } else open(version, grab.to);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setGrab(null);
      setStatus(t('reg.board.dropCancelled', { version: version.version }));
    }
  };

  return (
    <section className="reg-board-wrap" aria-label={t('reg.board.title')}>
      <div className="reg-section-head">
        <h2>{t('reg.board.title')}</h2>
        <p className="muted reg-board__help" id={helpId}>
          {t('reg.board.help')}
        </p>
        <button
          type="button"
          className="btn"
          onClick={() => setRollback(true)}
          disabled={!hasArchived}
          title={hasArchived ? undefined : t('reg.rollback.nothing')}
        >
          ↶ {t('reg.rollback.button')}
        </button>
      </div>
      <p className="reg-board__status" role="status" data-testid="board-status">
        {status}
      </p>
      <div className="reg-board">
        {MODEL_STAGES.map((stage) => {
          const cards = byStage(stage);
          const target = over === stage || (grab !== null && grab.to === stage && grab.version.stage !== stage);
          return (
            <div
              key={stage}
              className={`reg-column reg-column--${stage}${target ? ' reg-column--target' : ''}`}
              data-stage={stage}
              onDragOver={onDragOver(stage)}
              onDragLeave={() => setOver((o) => (o === stage ? null : o))}
              onDrop={onDrop(stage)}
            >
              <h3 className="reg-column__title">
                {t(`reg.stage.${stage}`)} <span className="muted">{cards.length}</span>
              </h3>
              {stage === 'Production' && cards.length > 1 && <p className="reg-column__note">{t('reg.board.ab')}</p>}
              <ul className="reg-column__cards">
                {cards.length === 0 && <li className="reg-column__empty muted">{t('reg.board.empty')}</li>}
                {cards.map((v) => (
                  <li key={v.version}>
                    <VersionCard
                      version={v}
                      now={now}
                      served={served.has(v.version)}
                      pending={pending.get(v.version)?.toStage ?? null}
                      grabbed={grab?.version.version === v.version}
                      helpId={helpId}
                      onKeyDown={onCardKey(v)}
                      onDragStart={(e) => {
                        e.dataTransfer.setData(DRAG_TYPE, String(v.version));
                        e.dataTransfer.effectAllowed = 'move';
                        setDragging(v);
                      }}
                      onDragEnd={() => (setDragging(null), setOver(null))}
                      onMove={(to) => open(v, to)}
                    />
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </div>
      {move && <TransitionDialog detail={detail} version={move.version} toStage={move.to} onClose={() => setMove(null)} onDone={finish} />}
      {rollback && <RollbackDialog name={detail.model.name} onClose={() => setRollback(false)} onDone={finish} />}
    </section>
  );
}

function VersionCard({
  version: v,
  now,
  served,
  pending,
  grabbed,
  helpId,
  onKeyDown,
  onDragStart,
  onDragEnd,
  onMove,
}: {
  version: ModelVersion;
  now: number;
  served: boolean;
  pending: ModelStage | null;
  grabbed: boolean;
  helpId: string;
  onKeyDown(e: KeyboardEvent<HTMLElement>): void;
  onDragStart(e: DragEvent<HTMLElement>): void;
  onDragEnd(): void;
  onMove(to: ModelStage): void;
}) {
  const t = useT();
  const metrics = keyMetrics(v);
  const href = `#/registry/${encodeURIComponent(v.name)}/${v.version}`;
  return (
    <article
      className={`reg-card${grabbed ? ' reg-card--grabbed' : ''}`}
      draggable
      tabIndex={0}
      data-version={v.version}
      aria-roledescription={t('reg.board.cardRole')}
      aria-label={t('reg.board.cardLabel', { version: v.version, stage: t(`reg.stage.${v.stage}`) })}
      aria-describedby={helpId}
      onKeyDown={onKeyDown}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
    >
      <header className="reg-card__head">
        <a href={href} className="reg-card__version">
          v{v.version}
        </a>
        {v.aliases.map((a) => (
          <span key={a} className="reg-alias" title={t('reg.alias.title')}>
            @{a}
          </span>
        ))}
        {served && <span className="reg-pill reg-pill--served">{t('reg.board.served')}</span>}
        {pending && <span className="reg-pill reg-pill--pending">{t('reg.board.pending', { stage: t(`reg.stage.${pending}`) })}</span>}
      </header>
      <p className="reg-card__run">
        <a href={`#/experiments/run/${v.runId}`} title={v.runId}>
          {v.runName || v.runId.slice(0, 8)}
        </a>
        <span className="muted"> · {v.algorithm}</span>
      </p>
      {metrics.length > 0 && (
        <dl className="reg-card__metrics">
          {metrics.map((m) => (
            <div key={m.key} data-metric={m.key}>
              <dt>{m.key}</dt>
              <dd>{formatMetric(m.value)}</dd>
            </div>
          ))}
        </dl>
      )}
      <p className="reg-card__meta muted">
        <span title={t('reg.card.dataset')}>{v.datasetLabel || '—'}</span>
        <span> · {v.createdBy || '—'}</span>
        <span title={new Date(v.createdAt).toISOString()}> · {relativeAge(v.createdAt, now, t.language)}</span>
      </p>
      <select
        className="reg-card__move"
        aria-label={t('reg.board.moveLabel', { version: v.version })}
        value=""
        onChange={(e) => e.target.value && onMove(e.target.value as ModelStage)}
      >
        <option value="">{t('reg.board.moveTo')}</option>
        {otherStages(v.stage).map((s) => (
          <option key={s} value={s}>
            {t(`reg.stage.${s}`)}
          </option>
        ))}
      </select>
    </article>
  );
}
