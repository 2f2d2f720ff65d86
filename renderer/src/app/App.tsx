import { Suspense, useEffect } from 'react';
import { api } from '../lib/api';
import { useLanguage, useT } from '../i18n';
import { ErrorArea } from '../components/ErrorArea';
import { JobTray } from '../components/JobTray';
import { reportError } from './errors-store';
import { DEFAULT_PAGE, PAGES } from './pages';
import { useRouter } from './router';

/** The app shell: navigation, the current page, the job tray and the error area. */
export function App() {
  const t = useT();
  const { route, navigate } = useRouter();
  const setLanguage = useLanguage((s) => s.setLanguage);
  useEffect(() => {
    api.call('settings:get', {}).then((s) => setLanguage(s.language), reportError);
    return api.onEvent((name, payload) => {
      if (name === 'changed' && (payload as { topic: string }).topic === 'settings') {
        api.call('settings:get', {}).then((s) => setLanguage(s.language), reportError);
      }
    });
  }, [setLanguage]);
  useEffect(() => {
    const onRejection = (e: PromiseRejectionEvent) => reportError(e.reason);
    window.addEventListener('unhandledrejection', onRejection);
    return () => window.removeEventListener('unhandledrejection', onRejection);
  }, []);
  const page = PAGES.find((p) => p.id === route.page) ?? PAGES.find((p) => p.id === DEFAULT_PAGE)!;
  const Page = page.component;
  return (
    <div className="shell">
      <nav className="nav" aria-label={t('nav.label')}>
        <div className="nav__brand">{t('app.title')}</div>
        <ul>
          {PAGES.map((p) => (
            <li key={p.id}>
              <a
                href={`#/${p.id}`}
                className={`nav__link${p.id === page.id ? ' nav__link--active' : ''}`}
                aria-current={p.id === page.id ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(p.id);
                }}
              >
                <span className="nav__icon" aria-hidden="true">
                  {p.icon}
                </span>
                {t(p.labelKey)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="workspace">
        <ErrorArea />
        <main className="content">
          <Suspense fallback={<div className="page muted">{t('common.loading')}</div>}>
            <Page />
          </Suspense>
        </main>
        <JobTray />
      </div>
    </div>
  );
}
