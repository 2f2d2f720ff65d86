import { lazy } from 'react';
import { useRouter } from '../../app/router';
import './experiments.css';

const RunsHome = lazy(() => import('./RunsHome'));
const NewRunWizard = lazy(() => import('./NewRunWizard'));
const RunPage = lazy(() => import('./RunPage'));
const ComparePage = lazy(() => import('./ComparePage'));

/**
 * Experiments, by route:
 * - `#/experiments` and `#/experiments/exp/ID`: the experiments and their runs table;
 * - `#/experiments/new` (optionally `/new/EXPERIMENT_ID`): the New run wizard;
 * - `#/experiments/run/RUN_ID`: one run;
 * - `#/experiments/compare/ID,ID,…`: 2–20 runs side by side.
 */
export default function ExperimentsPage() {
  const segments = useRouter((s) => s.route.segments);
  const [view, id] = segments;
  if (view === 'new') return <NewRunWizard experimentId={id !== undefined && /^\d+$/.test(id) ? Number(id) : undefined} />;
  if (view === 'run' && id) return <RunPage key={id} runId={id} />;
  if (view === 'compare' && id) return <ComparePage key={id} runIds={id.split(',').filter(Boolean)} />;
  return <RunsHome experimentId={view === 'exp' && id !== undefined && /^\d+$/.test(id) ? Number(id) : undefined} />;
}
