import type { RegisteredModelDetail } from '../../../../../shared/contracts/registry';
import { useT } from '../../../i18n';
import type { SelectorChoice } from '../registry-format';

/** Which version answers: a stage (Production, Staging), a version number, or an alias. */
export function SelectorField({
  detail,
  value,
  onChange,
  label,
}: {
  detail: RegisteredModelDetail;
  value: SelectorChoice;
  onChange(choice: SelectorChoice): void;
  label: string;
}) {
  const t = useT();
  const aliases = Object.entries(detail.model.aliases).sort(([a], [b]) => (a < b ? -1 : 1));
  const latest = detail.model.latest;
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <optgroup label={t('reg.selector.stages')}>
          <option value="stage:Production">
            {t('reg.stage.Production')}
            {latest.Production ? ` (v${latest.Production})` : ` — ${t('reg.selector.noneYet')}`}
          </option>
          <option value="stage:Staging">
            {t('reg.stage.Staging')}
            {latest.Staging ? ` (v${latest.Staging})` : ` — ${t('reg.selector.noneYet')}`}
          </option>
        </optgroup>
        {aliases.length > 0 && (
          <optgroup label={t('reg.selector.aliases')}>
            {aliases.map(([a, v]) => (
              <option key={a} value={`alias:${a}`}>
                @{a} (v{v})
              </option>
            ))}
          </optgroup>
        )}
        <optgroup label={t('reg.selector.versions')}>
          {detail.versions.map((v) => (
            <option key={v.version} value={`version:${v.version}`}>
              v{v.version} · {t(`reg.stage.${v.stage}`)}
            </option>
          ))}
        </optgroup>
      </select>
    </label>
  );
}
