import { useRouter } from '../../app/router';
import { DatasetList } from './DatasetList';
import { DiffView } from './DiffView';
import { ImportWizard } from './ImportWizard';
import { VersionPage } from './VersionPage';
import './data.css';

/** The Data page: #/data (list), #/data/import, #/data/version/ID[/tab], #/data/diff/A/B. */
export default function DataPage() {
  const segments = useRouter((s) => s.route.segments);
  const [view, a, b] = segments;
  if (view === 'import') return <ImportWizard />;
  if (view === 'version' && Number(a) > 0) return <VersionPage key={a} id={Number(a)} tab={b} />;
  if (view === 'diff' && Number(a) > 0 && Number(b) > 0) return <DiffView a={Number(a)} b={Number(b)} />;
  return <DatasetList />;
}
