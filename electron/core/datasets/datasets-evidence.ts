import { localized, plural, type EvidenceProvider } from '../maturity/evidence';

/** Maturity evidence of data versioning: versions in the workbench's versioned store. */
export const datasetVersionsEvidence: EvidenceProvider = {
  id: 'datasets.versions',
  itemIds: ['l1-data-versioning', 'l0-data-no-versioning', 'l0-data-local-files'],
  page: 'data',
  collect({ store }) {
    const versions = store.datasets.countVersions();
    if (versions === 0) return null;
    const datasets = store.datasets.countDatasets();
    return {
      summary: localized(
        `${plural(versions, 'version', 'versions')} of ${plural(datasets, 'data set', 'data sets')} in the versioned store`,
        `バージョン管理ストアに ${datasets} データセット・${versions} バージョン`,
      ),
      facts: { datasets, versions },
    };
  },
};
