import { useState, type ReactNode } from 'react';
import { MODEL_STAGES, REGISTRY_LIMITS, type ModelCard, type ModelVersion } from '../../../../shared/registry';
import { useRouter } from '../../app/router';
import { reportError } from '../../app/errors-store';
import { useT } from '../../i18n';
import { api } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { newCheckHref } from '../monitoring/monitoring-format';
import { exportAndSaveReport } from '../reports/report-files';
import { Dialog, InlineError } from './dialog';
import { GateChecks } from './register/gate-checks';
import { formatMetric, relativeAge } from './registry-format';
import { useMinuteClock } from './use-minute-clock';
import { VersionTags } from './version/version-tags';

/** `#/registry/NAME/VERSION`: the version's model card — what it is, its data, lineage, story, tags; export and delete. */
export default function VersionPage({ name, version }: { name: string; version: number }) {
  const t = useT();
  const card = useQuery('registry:card', { name, version }, ['registry']);
  const back = `#/registry/${encodeURIComponent(name)}`;
  if (card.error && !card.data)
    return (
      <div className="page reg-page">
        <p>
          <a href={back}>← {name}</a>
        </p>
        <p className="reg-error" role="alert">
          {card.error.message}
        </p>
      </div>
    );
  const c = card.data;
  if (!c) return <div className="page muted">{t('reg.loading')}</div>;
  return <CardView card={c} back={back} />;
}

function CardView({ card: c, back }: { card: ModelCard; back: string }) {
  const t = useT();
  const v = c.version;
  const now = useMinuteClock();
  const when = (ms: number | null) => (ms === null ? '—' : t.dateTime(new Date(ms).toISOString()));
  const stageName = (s: string) => ((MODEL_STAGES as readonly string[]).includes(s) ? t(`reg.stage.${s}`) : s);
  return (
    <div className="page reg-page reg-version-page" data-model={v.name} data-version={v.version}>
      <p className="reg-crumb">
        <a href="#/registry">{t('reg.back')}</a> / <a href={back}>{v.name}</a>
      </p>
      <div className="reg-title">
        <h1>
          {v.name} <span className="muted">v{v.version}</span>
        </h1>
        <span className={`reg-pill reg-pill--stage-${v.stage}`} data-testid="version-stage">
          {t(`reg.stage.${v.stage}`)}
        </span>
        {v.aliases.map((a) => (
          <span key={a} className="reg-alias">
            @{a}
          </span>
        ))}
        <div className="reg-title__actions">
          <a className="btn" href={newCheckHref({ model: v.name, version: v.version })}>
            {t('mon.link.checkDrift')}
          </a>
          <ExportButtons version={v} />
          <DeleteVersion version={v} />
        </div>
      </div>

      <Lineage card={c} />

      <div className="reg-columns">
        <section className="card" aria-label={t('reg.card.about')}>
          <h2>{t('reg.card.about')}</h2>
          <dl className="facts">
            <dt>{t('reg.card.run')}</dt>
            <dd>
              <a href={`#/experiments/run/${c.run.id}`}>{c.run.name || c.run.id}</a>{' '}
              <span className="muted">
                ({t('reg.card.experiment')} {c.run.experimentName})
              </span>
            </dd>
            <dt>{t('reg.card.algorithm')}</dt>
            <dd>
              {v.algorithm} · {t(`reg.task.${v.task}`)}
            </dd>
            <dt>{t('reg.card.author')}</dt>
            <dd>{v.createdBy || '—'}</dd>
            <dt>{t('reg.card.registered')}</dt>
            <dd>
              {when(v.createdAt)} <span className="muted">({relativeAge(v.createdAt, now, t.language)})</span>
            </dd>
            <dt>{t('reg.card.trained')}</dt>
            <dd>{when(c.run.endTime ?? c.run.startTime)}</dd>
            <dt>{t('reg.card.source')}</dt>
            <dd>
              <code>{v.source}</code>
            </dd>
            <dt>{t('reg.card.modelHash')}</dt>
            <dd>
              <code title={v.modelSha256}>{v.modelSha256.slice(0, 16)}…</code>
            </dd>
          </dl>
        </section>
        <section className="card" aria-label={t('reg.card.data')}>
          <h2>{t('reg.card.data')}</h2>
          <dl className="facts">
            <dt>{t('reg.card.dataset')}</dt>
            <dd>
              {c.dataset.versionId !== null ? (
                <a href={`#/data/version/${c.dataset.versionId}`}>{c.dataset.label}</a>
              ) : (
                c.dataset.label || '—'
              )}
            </dd>
            <dt>{t('reg.card.rows')}</dt>
            <dd>{c.dataset.rows === null ? '—' : t.number(c.dataset.rows)}</dd>
            <dt>{t('reg.card.columns')}</dt>
            <dd>{c.dataset.columns === null ? '—' : t.number(c.dataset.columns)}</dd>
            <dt>{t('reg.card.dataHash')}</dt>
            <dd>{c.dataset.sha256 ? <code title={c.dataset.sha256}>{c.dataset.sha256.slice(0, 16)}…</code> : '—'}</dd>
            <dt>{t('reg.card.recipe')}</dt>
            <dd>{c.recipe?.name ?? t('reg.card.noRecipe')}</dd>
            <dt>{t('reg.card.target')}</dt>
            <dd>{c.run.params.target ?? '—'}</dd>
          </dl>
        </section>
      </div>

      <CardText key={`${v.name}/${v.version}`} version={v} />

      <div className="reg-columns">
        <section className="card" aria-label={t('reg.card.metrics')}>
          <h2>{t('reg.card.metrics')}</h2>
          {c.metrics.length === 0 ? (
            <p className="muted">{t('reg.card.noMetrics')}</p>
          ) : (
            <table className="table reg-table" data-testid="card-metrics">
              <thead>
                <tr>
                  <th>{t('reg.card.metric')}</th>
                  <th className="num">{t('reg.card.test')}</th>
                  <th className="num">{t('reg.card.cv')}</th>
                </tr>
              </thead>
              <tbody>
                {c.metrics.map((m) => (
                  <tr key={m.key} data-metric={m.key}>
                    <td>{m.key}</td>
                    <td className="num">{formatMetric(m.test)}</td>
                    <td className="num">{m.cvMean === null ? '—' : `${formatMetric(m.cvMean)} ± ${formatMetric(m.cvStd ?? 0)}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="card" aria-label={t('reg.card.gates')}>
          <h2>{t('reg.card.gates')}</h2>
          {v.gates && v.gates.checks.length > 0 ? <GateChecks report={v.gates} /> : <p className="muted">{t('reg.card.noGates')}</p>}
          {c.featureImportance.length > 0 && (
            <>
              <h3 className="reg-subhead">{t('reg.card.importance')}</h3>
              <Importance items={c.featureImportance} />
            </>
          )}
        </section>
      </div>

      <div className="reg-columns">
        <section className="card" aria-label={t('reg.card.params')}>
          <h2>{t('reg.card.params')}</h2>
          <table className="table reg-table reg-kv">
            <tbody>
              {Object.entries(c.run.params)
                .sort(([a], [b]) => (a < b ? -1 : 1))
                .map(([k, val]) => (
                  <tr key={k} data-param={k}>
                    <th scope="row">{k}</th>
                    <td className="reg-wrap">{val}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </section>
        <section className="card" aria-label={t('reg.card.history')}>
          <h2>{t('reg.card.history')}</h2>
          {c.stages.length === 0 ? (
            <p className="muted">{t('reg.card.noHistory')}</p>
          ) : (
            <table className="table reg-table" data-testid="stage-history">
              <thead>
                <tr>
                  <th>{t('reg.audit.when')}</th>
                  <th>{t('reg.audit.change')}</th>
                  <th>{t('reg.audit.who')}</th>
                  <th>{t('reg.audit.comment')}</th>
                </tr>
              </thead>
              <tbody>
                {c.stages.map((s, i) => (
                  <tr key={i}>
                    <td className="reg-nowrap">{when(s.at)}</td>
                    <td className="reg-nowrap">
                      {s.from === null ? t('reg.action.register') : stageName(s.from)} → {s.to === null ? '—' : stageName(s.to)}
                    </td>
                    <td>{s.actor}</td>
                    <td className="reg-wrap">{s.comment}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      <VersionTags version={v} />
    </div>
  );
}

/** dataset version → recipe → run → model version → stages, each a link where it has a page. */
function Lineage({ card: c }: { card: ModelCard }) {
  const t = useT();
  const v = c.version;
  const stages = [...new Set(c.stages.map((s) => s.to).filter((s): s is string => !!s))];
  const steps: { kind: string; body: ReactNode }[] = [
    {
      kind: t('reg.card.dataset'),
      body:
        c.dataset.versionId !== null ? (
          <a href={`#/data/version/${c.dataset.versionId}`}>{c.dataset.label}</a>
        ) : (
          <span>{c.dataset.label || '—'}</span>
        ),
    },
    {
      kind: t('reg.card.recipe'),
      body:
        c.recipe && c.dataset.versionId !== null ? (
          <a href={`#/data/version/${c.dataset.versionId}/recipe`}>{c.recipe.name}</a>
        ) : (
          <span className="muted">{c.recipe?.name ?? t('reg.card.noRecipe')}</span>
        ),
    },
    { kind: t('reg.card.run'), body: <a href={`#/experiments/run/${c.run.id}`}>{c.run.name || c.run.id.slice(0, 8)}</a> },
    {
      kind: t('reg.card.version'),
      body: (
        <a href={`#/registry/${encodeURIComponent(v.name)}/${v.version}`} aria-current="page">
          {v.name} v{v.version}
        </a>
      ),
    },
    {
      kind: t('reg.card.stages'),
      body: (
        <a href={`#/registry/${encodeURIComponent(v.name)}`}>
          {(stages.length > 0 ? stages : [v.stage]).map((s) => t(`reg.stage.${s}`)).join(' → ')}
        </a>
      ),
    },
  ];
  return (
    <nav className="card reg-lineage" aria-label={t('reg.card.lineage')}>
      <ol>
        {steps.map((step) => (
          <li key={step.kind}>
            <div className="reg-lineage__box">
              <span className="reg-lineage__kind">{step.kind}</span>
              {step.body}
            </div>
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** The feature importances as bars (top ten), scaled to the largest. */
function Importance({ items }: { items: ModelCard['featureImportance'] }) {
  const top = [...items].sort((a, b) => b.importance - a.importance).slice(0, 10);
  const max = Math.max(...top.map((x) => Math.abs(x.importance)), 1e-12);
  return (
    <ul className="reg-bars">
      {top.map((x) => (
        <li key={x.feature}>
          <span className="reg-bars__label" title={x.feature}>
            {x.feature}
          </span>
          <span className="reg-bars__bar" style={{ width: `${(Math.abs(x.importance) / max) * 100}%` }} />
          <span className="reg-bars__value">{formatMetric(x.importance)}</span>
        </li>
      ))}
    </ul>
  );
}

/** The editable story: description, intended use and limitations, saved together. */
function CardText({ version: v }: { version: ModelVersion }) {
  const t = useT();
  const [description, setDescription] = useState(v.description);
  const [intendedUse, setIntendedUse] = useState(v.intendedUse);
  const [limitations, setLimitations] = useState(v.limitations);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const dirty = description !== v.description || intendedUse !== v.intendedUse || limitations !== v.limitations;
  const save = () =>
    api.call('registry:updateVersion', { name: v.name, version: v.version, description, intendedUse, limitations }).then(
      () => (setError(null), setStatus(t('reg.settings.saved'))),
      (err: Error) => (setError(err.message), setStatus('')),
    );
  return (
    <section className="card reg-card-text" aria-label={t('reg.card.story')}>
      <h2>{t('reg.card.story')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label className="reg-field">
          {t('reg.card.description')}
          <textarea
            value={description}
            onChange={(e) => (setDescription(e.target.value), setStatus(''))}
            rows={2}
            maxLength={REGISTRY_LIMITS.maxDescriptionLength}
          />
        </label>
        <div className="reg-columns">
          <label className="reg-field">
            {t('reg.card.intendedUse')}
            <textarea
              value={intendedUse}
              onChange={(e) => (setIntendedUse(e.target.value), setStatus(''))}
              rows={4}
              maxLength={REGISTRY_LIMITS.maxCardTextLength}
              placeholder={t('reg.card.intendedUseHint')}
            />
          </label>
          <label className="reg-field">
            {t('reg.card.limitations')}
            <textarea
              value={limitations}
              onChange={(e) => (setLimitations(e.target.value), setStatus(''))}
              rows={4}
              maxLength={REGISTRY_LIMITS.maxCardTextLength}
              placeholder={t('reg.card.limitationsHint')}
            />
          </label>
        </div>
        <div className="form-row">
          <button type="submit" className="btn btn--primary" disabled={!dirty}>
            {t('reg.save')}
          </button>
          <span className="muted" role="status">
            {status}
          </span>
        </div>
        <InlineError message={error} />
      </form>
    </section>
  );
}

/** The model card as PDF or HTML through the report pipeline. */
function ExportButtons({ version: v }: { version: ModelVersion }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const run = async (format: 'pdf' | 'html') => {
    setBusy(true);
    setStatus(t('reg.card.exporting'));
    try {
      const record = await exportAndSaveReport({
        reportId: 'model-card',
        targetId: `${v.name}/${v.version}`,
        format,
        language: t.language,
      });
      setStatus(t('reg.card.exported', { file: record.fileName, size: t.bytes(record.size) }));
    } catch (err) {
      setStatus('');
      reportError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <span className="muted reg-export-status" role="status">
        {status}
      </span>
      <button type="button" className="btn" disabled={busy} onClick={() => void run('pdf')}>
        {t('reg.card.pdf')}
      </button>
      <button type="button" className="btn" disabled={busy} onClick={() => void run('html')}>
        {t('reg.card.html')}
      </button>
    </>
  );
}

/** Deletes the version after asking; main refuses while it is in Production or served, and the dialog says so. */
function DeleteVersion({ version: v }: { version: ModelVersion }) {
  const t = useT();
  const navigate = useRouter((s) => s.navigate);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = () =>
    api.call('registry:deleteVersion', { name: v.name, version: v.version }).then(
      () => navigate('registry', v.name),
      (err: Error) => setError(err.message),
    );
  return (
    <>
      <button type="button" className="btn btn--danger" onClick={() => (setError(null), setOpen(true))}>
        {t('reg.card.delete')}
      </button>
      {open && (
        <Dialog
          title={t('reg.card.deleteTitle', { name: v.name, version: v.version })}
          onClose={() => setOpen(false)}
          onSubmit={() => void remove()}
          testId="delete-dialog"
          footer={
            <>
              <button type="button" className="btn" onClick={() => setOpen(false)}>
                {t('reg.cancel')}
              </button>
              <button type="submit" className="btn btn--danger">
                {t('reg.card.deleteConfirm')}
              </button>
            </>
          }
        >
          <p>{t('reg.card.deleteHint')}</p>
          <InlineError message={error} testId="delete-error" />
        </Dialog>
      )}
    </>
  );
}
