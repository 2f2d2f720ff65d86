import { useState } from 'react';
import type { RegisteredModelDetail } from '../../../../../shared/contracts/registry';
import { formatModelReference } from '../../../../../shared/registry';
import { LOOPBACK_HOST, portSchema, SERVING_LIMITS, type ServerStatus } from '../../../../../shared/serving';
import { reportError } from '../../../app/errors-store';
import { useT } from '../../../i18n';
import { api } from '../../../lib/api';
import { useQuery } from '../../../lib/use-query';
import { InlineError } from '../dialog';
import { choiceToSelector, countKey, curlExample, exampleRecord, type SelectorChoice } from '../registry-format';
import { ScoringCard } from './scoring';
import { SelectorField } from './selector-field';

const LIVE: ServerStatus['state'][] = ['starting', 'running'];

/**
 * Serving from the model page: start a local scoring server (which version,
 * port, prediction log, optional A/B split to an alias), the servers with their
 * state and URL, a copyable curl example, and stop. Batch scoring sits below.
 */
export function ServingPanel({ detail }: { detail: RegisteredModelDetail }) {
  const t = useT();
  const name = detail.model.name;
  const servers = useQuery('serving:list', { name }, ['serving']);
  const settings = useQuery('settings:get', {}, ['settings']);
  const [choice, setChoice] = useState<SelectorChoice>('stage:Production');
  const [port, setPort] = useState(String(SERVING_LIMITS.defaultPort));
  const [host, setHost] = useState<string>(LOOPBACK_HOST);
  const [log, setLog] = useState(true);
  const [splitOn, setSplitOn] = useState(false);
  const aliases = Object.keys(detail.model.aliases).sort();
  const [splitAlias, setSplitAlias] = useState(aliases.includes('challenger') ? 'challenger' : (aliases[0] ?? ''));
  const [share, setShare] = useState('10');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nonLoopback = settings.data?.allowNonLoopback === true;

  const start = async () => {
    const selector = choiceToSelector(choice);
    // The contract's port rule and wording (the CLI says the same).
    const typed = port.trim() === '' ? Number.NaN : Number(port);
    // Text that is no number reads as out of range, so the message is the range.
    const portParsed = portSchema.safeParse(Number.isFinite(typed) ? typed : 0);
    if (!selector) return setError(t('reg.serve.badSelector'));
    if (!portParsed.success) return setError(portParsed.error.issues[0]?.message ?? null);
    const shareNumber = Number(share) / 100;
    if (splitOn && (!splitAlias || !(shareNumber > 0 && shareNumber < 1))) return setError(t('reg.serve.badSplit'));
    setBusy(true);
    try {
      await api.call('serving:start', {
        name,
        selector,
        port: portParsed.data,
        host: nonLoopback ? host.trim() || LOOPBACK_HOST : LOOPBACK_HOST,
        logPredictions: log,
        ...(splitOn ? { split: { alias: splitAlias, share: shareNumber } } : {}),
      });
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const list = servers.data ?? [];
  return (
    <>
      <section className="card reg-serve" aria-label={t('reg.serve.heading')}>
        <h2>{t('reg.serve.heading')}</h2>
        <p className="muted reg-hint">{t('reg.serve.hint')}</p>
        <form
          className="form-row"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void start();
          }}
        >
          <SelectorField detail={detail} value={choice} onChange={setChoice} label={t('reg.serve.answers')} />
          {nonLoopback && (
            <label>
              {t('reg.serve.host')}
              <input value={host} onChange={(e) => setHost(e.target.value)} maxLength={255} className="reg-input--host" />
            </label>
          )}
          <label>
            {t('reg.serve.port')}
            <input
              type="number"
              min={SERVING_LIMITS.minPort}
              max={SERVING_LIMITS.maxPort}
              value={port}
              onChange={(e) => (setPort(e.target.value), setError(null))}
              className="reg-input--port"
            />
          </label>
          <label className="reg-check reg-check--inline">
            <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} />
            {t('reg.serve.log')}
          </label>
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {t('reg.serve.start')}
          </button>
        </form>
        <details className="reg-serve__split">
          <summary>{t('reg.serve.split')}</summary>
          <div className="form-row">
            <label className="reg-check reg-check--inline">
              <input type="checkbox" checked={splitOn} onChange={(e) => setSplitOn(e.target.checked)} disabled={aliases.length === 0} />
              {t('reg.serve.splitOn')}
            </label>
            <label>
              {t('reg.serve.splitAlias')}
              <select value={splitAlias} onChange={(e) => setSplitAlias(e.target.value)} disabled={!splitOn}>
                {aliases.map((a) => (
                  <option key={a} value={a}>
                    @{a}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('reg.serve.splitShare')}
              <input
                type="number"
                min={1}
                max={99}
                value={share}
                onChange={(e) => setShare(e.target.value)}
                disabled={!splitOn}
                className="reg-input--port"
              />
            </label>
          </div>
          {aliases.length === 0 && <p className="muted reg-hint">{t('reg.serve.splitNoAlias')}</p>}
        </details>
        {nonLoopback && <p className="reg-warning">{t('reg.serve.nonLoopbackWarning')}</p>}
        <InlineError message={error} testId="serve-error" />
        {servers.error && !servers.data && <p className="muted">{servers.error.message}</p>}
        {list.length === 0 ? (
          servers.data && <p className="muted">{t('reg.serve.none')}</p>
        ) : (
          <ul className="reg-servers">
            {list.map((s) => (
              <ServerRow key={s.id} server={s} detail={detail} />
            ))}
          </ul>
        )}
      </section>
      <ScoringCard detail={detail} />
    </>
  );
}

function ServerRow({ server: s, detail }: { server: ServerStatus; detail: RegisteredModelDetail }) {
  const t = useT();
  const live = LIVE.includes(s.state);
  const stop = () => api.call('serving:stop', { id: s.id }).catch(reportError);
  return (
    <li className={`reg-server reg-server--${s.state}`} data-server={s.id} data-state={s.state}>
      <div className="reg-server__line">
        <span className={`reg-pill reg-pill--${s.state}`}>{t(`reg.serve.state.${s.state}`)}</span>
        <code className="reg-server__url">{s.url}</code>
        <span className="muted">
          {formatModelReference(s.name, s.selector)}
          {s.version !== null && ` → v${s.version}`}
          {s.split &&
            s.challengerVersion !== null &&
            ` · ${t('reg.serve.splitLine', { alias: s.split.alias, version: s.challengerVersion, share: Math.round(s.split.share * 100) })}`}
        </span>
        <span className="muted">· {t(countKey('reg.serve.served', s.predictionsServed), { n: s.predictionsServed })}</span>
        {!s.logPredictions && <span className="muted">· {t('reg.serve.notLogged')}</span>}
        {live && (
          <button type="button" className="btn btn--small btn--danger reg-server__stop" onClick={stop}>
            {t('reg.serve.stop')}
          </button>
        )}
      </div>
      {s.error && <p className="reg-error">{s.error}</p>}
      {s.state === 'running' && <CurlExample server={s} detail={detail} />}
    </li>
  );
}

/** A curl command for the running server, with a row built from the training data's profile. */
function CurlExample({ server, detail }: { server: ServerStatus; detail: RegisteredModelDetail }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  const version = detail.versions.find((v) => v.version === server.version);
  const card = useQuery('registry:card', { name: detail.model.name, version: version?.version ?? 1 }, [], { enabled: !!version });
  const dataId = card.data?.dataset.versionId ?? null;
  const data = useQuery('datasets:version', { id: dataId ?? 1 }, [], { enabled: dataId !== null });
  const params = card.data?.run.params ?? {};
  const record = data.data
    ? exampleRecord(data.data.profile.columns, params.target, params.features?.split(',').filter(Boolean))
    : { feature: 0 };
  const command = curlExample(server.url, record);
  const health = `curl -s ${server.url}/health`;
  const copy = () =>
    navigator.clipboard.writeText(command).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  return (
    <div className="reg-curl">
      <pre className="reg-curl__code" data-testid="curl-example">
        {health}
        {'\n'}
        {command}
      </pre>
      <button type="button" className="btn btn--small" onClick={() => void copy()}>
        {copied ? t('reg.serve.copied') : t('reg.serve.copy')}
      </button>
    </div>
  );
}
