import { useState } from 'react';
import type { RunDetail } from '../../../../../shared/tracking';
import { useT } from '../../../i18n';
import { useQuery } from '../../../lib/use-query';
import { RegisterDialog } from './register-dialog';
import '../registry.css';

const MODEL_PATH = 'model/model.json';

/** Why a run cannot be registered (no model file, not finished, in the trash), or null. */
export function registerBlockedReason(run: RunDetail, t: (key: string) => string): string | null {
  if (run.info.lifecycleStage === 'deleted') return t('reg.run.inTrash');
  if (run.info.status !== 'FINISHED') return t('reg.run.notFinished');
  if (!run.artifacts.some((a) => a.path === MODEL_PATH)) return t('reg.run.noModel');
  return null;
}

/** The run page's "Register model" button and its dialog. */
export function RegisterModelButton({ run }: { run: RunDetail }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const blocked = registerBlockedReason(run, t);
  return (
    <>
      <button type="button" className="btn" onClick={() => setOpen(true)} disabled={blocked !== null} title={blocked ?? undefined}>
        {t('reg.run.register')}
      </button>
      {open && (
        <RegisterDialog
          runId={run.info.runId}
          runName={run.info.name}
          metricKeys={run.metrics.map((m) => m.key)}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}

/** The versions registered from this run, each with its stage and aliases; nothing when there are none. */
export function RegisteredVersions({ runId }: { runId: string }) {
  const t = useT();
  const versions = useQuery('registry:versionsOfRun', { runId }, ['registry']);
  const list = versions.data ?? [];
  if (list.length === 0) return null;
  return (
    <p className="reg-run-versions" data-testid="registered-versions">
      <span className="muted">{t('reg.run.registeredAs')}</span>{' '}
      {list.map((v) => (
        <span key={`${v.name}/${v.version}`} className="reg-run-versions__item">
          <a href={`#/registry/${encodeURIComponent(v.name)}/${v.version}`}>
            {v.name} v{v.version}
          </a>
          <span className={`reg-pill reg-pill--stage-${v.stage}`}>{t(`reg.stage.${v.stage}`)}</span>
          {v.aliases.map((a) => (
            <span key={a} className="reg-alias">
              @{a}
            </span>
          ))}
        </span>
      ))}
    </p>
  );
}
