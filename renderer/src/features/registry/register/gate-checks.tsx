import type { GateReport } from '../../../../../shared/registry';
import { useT } from '../../../i18n';
import { formatMetric } from '../registry-format';

/** Each gate check with pass/fail, its sentence, and by how much a failed one missed. */
export function GateChecks({ report }: { report: GateReport }) {
  const t = useT();
  if (report.checks.length === 0) return <p className="muted">{t('reg.gates.noChecks')}</p>;
  return (
    <ul className="reg-gates" data-testid="gate-checks">
      {report.checks.map((c) => (
        <li key={c.id} className={`reg-gate reg-gate--${c.passed ? 'pass' : 'fail'}`} data-gate={c.id} data-passed={c.passed}>
          <span className="reg-gate__mark" aria-hidden="true">
            {c.passed ? '✓' : '✗'}
          </span>
          <span className="reg-gate__name">{t(`reg.gates.check.${c.id}`)}</span>
          <span className="reg-gate__verdict">{c.passed ? t('reg.gates.passed') : t('reg.gates.failed')}</span>
          <span className="reg-gate__message">{c.message}</span>
          {!c.passed && c.shortfall !== null && (
            <span className="reg-gate__short">{t('reg.gates.shortBy', { by: formatMetric(c.shortfall) })}</span>
          )}
        </li>
      ))}
    </ul>
  );
}
