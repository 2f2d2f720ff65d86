import { useState } from 'react';
import { defaultBetter } from '../../../../../shared/run-comparison';
import {
  GATE_OPERATORS,
  modelNameSchema,
  REGISTRY_LIMITS,
  type GateOperator,
  type GateReport,
  type ModelVersion,
} from '../../../../../shared/registry';
import { useT } from '../../../i18n';
import { api } from '../../../lib/api';
import { useQuery } from '../../../lib/use-query';
import { Dialog, InlineError } from '../dialog';
import { CV_GAP_LIMIT, gateSpecFromForm, type GateForm } from '../registry-format';
import { GateChecks } from './gate-checks';
import '../registry.css';

/** Metrics a gate starts on, when the run has them. */
const GATE_METRICS = ['accuracy', 'f1_macro', 'roc_auc', 'r2', 'rmse', 'mae'];

type Outcome =
  | { kind: 'checked'; report: GateReport }
  | { kind: 'refused'; report: GateReport }
  | { kind: 'registered'; version: ModelVersion; report: GateReport };

/**
 * Registers a run's model as a new version of a named model (existing names
 * suggested; a new name creates the model), optionally behind gates: a metric
 * against a threshold, |test − CV| < 0.1, and "beats Production". "Check
 * gates" evaluates them without registering; a refused registration shows
 * which check failed and by how much, and registers nothing.
 */
export function RegisterDialog({
  runId,
  runName,
  metricKeys,
  defaultMetric,
  onClose,
}: {
  runId: string;
  runName: string;
  /** The run's scalar metrics (test values), for the gate's metric list. */
  metricKeys: string[];
  defaultMetric?: string | null;
  onClose(): void;
}) {
  const t = useT();
  const models = useQuery('registry:models', {}, ['registry']);
  const keys = metricKeys.filter((k) => !k.startsWith('cv_') && k !== 'training_duration_s');
  const first =
    (defaultMetric && keys.includes(defaultMetric) ? defaultMetric : null) ?? GATE_METRICS.find((k) => keys.includes(k)) ?? keys[0] ?? '';
  const [name, setName] = useState('');
  const [gates, setGates] = useState<GateForm>({
    metricOn: false,
    metric: first,
    op: defaultBetter(first) === 'lower' ? '<=' : '>=',
    threshold: '',
    cvGap: false,
    beatProduction: false,
  });
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const update = (patch: Partial<GateForm>) => (setGates({ ...gates, ...patch }), setOutcome(null), setError(null));

  const inputs = () => {
    const parsedName = modelNameSchema.safeParse(name);
    if (!parsedName.success) {
      setError(parsedName.error.issues[0]?.message ?? null);
      return null;
    }
    const spec = gateSpecFromForm(gates);
    if ('error' in spec) {
      setError(spec.error === 'metric' ? t('reg.register.pickMetric') : t('reg.register.badThreshold'));
      return null;
    }
    return { name: parsedName.data, gates: spec.spec };
  };
  const act = async (register: boolean) => {
    const req = inputs();
    if (!req) return;
    setBusy(true);
    try {
      if (register) {
        const result = await api.call('registry:register', { runId, ...req });
        setOutcome(
          result.registered && result.version
            ? { kind: 'registered', version: result.version, report: result.gates }
            : { kind: 'refused', report: result.gates },
        );
      } else setOutcome({ kind: 'checked', report: await api.call('registry:checkGates', { runId, ...req }) });
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const existing = (models.data ?? []).find((m) => m.name === name.trim());
  const anyGate = gates.metricOn || gates.cvGap || gates.beatProduction;
  const done = outcome?.kind === 'registered';

  return (
    <Dialog
      title={t('reg.register.title', { run: runName })}
      onClose={onClose}
      onSubmit={() => void act(true)}
      wide
      testId="register-dialog"
      footer={
        done ? (
          <>
            <a className="btn" href={`#/registry/${encodeURIComponent(outcome.version.name)}/${outcome.version.version}`} onClick={onClose}>
              {t('reg.register.openVersion')}
            </a>
            <button type="button" className="btn btn--primary" onClick={onClose} autoFocus>
              {t('reg.close')}
            </button>
          </>
        ) : (
          <>
            <button type="button" className="btn" onClick={onClose}>
              {t('reg.cancel')}
            </button>
            <button type="button" className="btn" disabled={busy || !anyGate} onClick={() => void act(false)}>
              {t('reg.register.check')}
            </button>
            <button type="submit" className="btn btn--primary" disabled={busy}>
              {t('reg.register.register')}
            </button>
          </>
        )
      }
    >
      <label className="reg-field">
        {t('reg.register.name')}
        <input
          list="reg-model-names"
          value={name}
          onChange={(e) => (setName(e.target.value), setOutcome(null), setError(null))}
          data-autofocus
          maxLength={REGISTRY_LIMITS.maxModelNameLength}
          disabled={done}
          placeholder={t('reg.register.namePlaceholder')}
        />
        <datalist id="reg-model-names">
          {(models.data ?? []).map((m) => (
            <option key={m.name} value={m.name} />
          ))}
        </datalist>
      </label>
      <p className="muted reg-hint" data-testid="register-name-hint">
        {!name.trim()
          ? t('reg.register.nameHint')
          : existing
            ? t('reg.register.nextVersion', { name: existing.name, version: existing.versionCount + 1 })
            : t('reg.register.newModel', { name: name.trim() })}
      </p>

      <fieldset className="reg-fieldset" disabled={done}>
        <legend>{t('reg.register.gates')}</legend>
        <div className="reg-gate-row">
          <label className="reg-check reg-check--inline">
            <input type="checkbox" checked={gates.metricOn} onChange={(e) => update({ metricOn: e.target.checked })} />
            {t('reg.register.metricGate')}
          </label>
          <select
            aria-label={t('reg.register.metric')}
            value={gates.metric}
            onChange={(e) => update({ metric: e.target.value })}
            disabled={!gates.metricOn}
          >
            {keys.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
          <select
            aria-label={t('reg.register.operator')}
            value={gates.op}
            onChange={(e) => update({ op: e.target.value as GateOperator })}
            disabled={!gates.metricOn}
          >
            {GATE_OPERATORS.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
          <input
            aria-label={t('reg.register.threshold')}
            inputMode="decimal"
            value={gates.threshold}
            onChange={(e) => update({ threshold: e.target.value })}
            disabled={!gates.metricOn}
            placeholder="0.80"
            className="reg-input--threshold"
          />
        </div>
        <label className="reg-check">
          <input type="checkbox" checked={gates.cvGap} onChange={(e) => update({ cvGap: e.target.checked })} />
          {t('reg.register.cvGap', { limit: CV_GAP_LIMIT })}
        </label>
        <label className="reg-check">
          <input type="checkbox" checked={gates.beatProduction} onChange={(e) => update({ beatProduction: e.target.checked })} />
          {t('reg.register.beatProduction')}
        </label>
      </fieldset>

      <InlineError message={error} testId="register-error" />
      {outcome && (
        <div className={`reg-outcome reg-outcome--${outcome.kind}`} data-testid="register-outcome" data-outcome={outcome.kind}>
          <p className="reg-outcome__head" role={outcome.kind === 'refused' ? 'alert' : 'status'}>
            {outcome.kind === 'registered'
              ? t('reg.register.done', { name: outcome.version.name, version: outcome.version.version })
              : outcome.kind === 'refused'
                ? t('reg.register.refused')
                : outcome.report.passed
                  ? t('reg.register.wouldPass')
                  : t('reg.register.wouldFail')}
          </p>
          <GateChecks report={outcome.report} />
        </div>
      )}
    </Dialog>
  );
}
