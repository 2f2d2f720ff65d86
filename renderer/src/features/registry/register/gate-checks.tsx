import type { GateReport } from '../../../../../shared/registry';
import { useT } from '../../../i18n';

/** Each gate check with pass/fail and main's sentence, which says what was measured and by how much a failed one missed. */
export function GateChecks({ report }: { report: GateReport }) {
  const t = useT();
  if (report.checks.length === 0) return <p className="muted">{t('reg.gates.noChecks')}</p>;
  return (
    <ul className="reg-gates" data-testid="gate-checks">
      {report.checks.map((c) => (
        <li
          key={c.id}
          className={`reg-gate reg-gate--${c.passed ? 'pass' : 'fail'}`}
          data-gate={c.id}
          data-passed={c.passed}
          data-shortfall={c.shortfall ?? undefined}
        >
          <span className="reg-gate__mark" aria-hidden="true">
            {c.passed ? '✓' : '✗'}
          </span>
          <span className="reg-gate__name">{t(`reg.gates.check.${c.id}`)}</span>
          <span className="reg-gate__verdict">{c.passed ? t('reg.gates.passed') : t('reg.gates.failed')}</span>
          <span className="reg-gate__message">{c.message}</span>
        </li>
      ))}
    </ul>
  );
}
