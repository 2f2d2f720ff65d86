/**
 * Report export benchmark: time to export each report of the pipeline to
 * PDF (and to HTML), and the file sizes. Reference measured in the same run:
 * printing a one-line page with the same Chromium, so the ratios show what
 * the reports themselves cost beyond Chromium's fixed print overhead.
 *
 * The dataset report is of the bundled sample (churn.csv, 5,000 rows × 16
 * columns) with two validation suites run on it (one suggested, one failing).
 * MLWB_BENCH_KEEP=DIR keeps the last PDF of each case there.
 *
 *   npx tsx bench/reports.ts [repeats=5]
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Assessment, AnswerValue } from '../shared/maturity';
import { MATURITY_CONTENT_VERSION, MATURITY_ITEMS } from '../shared/maturity-content';
import { suggestSuite } from '../electron/core/validation/suggest-suite';
import { createChromiumPrinter } from '../electron/core/reports/chromium-printer';
import { createFixtureDatasetReader } from '../electron/core/reports/dataset-test-fixtures';
import { exportReport, findReportDefinition } from '../electron/core/reports/export-report';
import type { ReportContext } from '../electron/core/reports/report-definition';

function makeAssessment(id: string, date: string, pick: (i: number) => AnswerValue): Assessment {
  return {
    id,
    meta: { organisation: 'Acme Analytics', team: 'Churn team', facilitator: 'Aiko Sato', participants: ['Ben', 'Chika', 'Dev'], date },
    settings: { partlyCountsHalf: true },
    answers: Object.fromEntries(MATURITY_ITEMS.map((item, i) => [item.id, { value: pick(i), note: i % 4 === 0 ? 'Discussed at length; see the workshop notes for details.' : '' }])),
    status: 'completed',
    cursor: 35,
    contentVersion: MATURITY_CONTENT_VERSION,
    createdAt: `${date}T10:00:00.000Z`,
    updatedAt: `${date}T11:00:00.000Z`,
  };
}

const answers: AnswerValue[] = ['yes', 'partly', 'no', 'unsure'];
const history = [
  makeAssessment('q1', '2026-02-15', (i) => (MATURITY_ITEMS[i].level === 0 ? 'yes' : 'no')),
  makeAssessment('q2', '2026-05-15', (i) => answers[i % 4]),
  makeAssessment('q3', '2026-08-15', (i) => answers[(i + 1) % 3]),
  makeAssessment('q4', '2026-11-15', (i) => (MATURITY_ITEMS[i].level === 0 ? 'no' : answers[i % 2])),
];

const SAMPLE = path.join(__dirname, '../resources/sample/churn.csv');
const datasets = (() => {
  const bare = createFixtureDatasetReader([{ datasetName: 'churn', tag: 'sample', file: SAMPLE }]);
  return createFixtureDatasetReader([
    {
      datasetName: 'churn',
      tag: 'sample',
      file: SAMPLE,
      suites: [
        suggestSuite(bare.versions[0].profile, 'suggested'),
        { name: 'business rules', rules: [{ kind: 'between', column: 'tenure_months', max: 48 }, { kind: 'in_set', column: 'contract', values: ['Month-to-month', 'One year'] }, { kind: 'unique', column: 'customer_id' }] },
      ],
    },
  ]);
})();

function context(locale: 'en' | 'ja'): ReportContext {
  return {
    workspaceName: 'Benchmark workspace',
    locale,
    now: new Date(),
    data: {
      maturity: { getAssessment: (id) => history.find((a) => a.id === id) ?? null, listAssessments: () => history },
      datasets,
      evidence: async () => [
        {
          providerId: 'datasets.versions',
          itemIds: ['l1-data-versioning', 'l0-data-no-versioning', 'l0-data-local-files'],
          page: 'data',
          summary: { en: '11 versions of 3 data sets in the versioned store', ja: 'バージョン管理ストアに 3 データセット・11 バージョン' },
          facts: { datasets: 3, versions: 11 },
        },
      ],
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const repeats = Math.max(1, Number(process.argv[2] ?? 5));
  const printer = createChromiumPrinter();
  const coldStart = performance.now();
  await printer.printPdf('<!DOCTYPE html><p>warm-up</p>', { pageSize: 'A4' });
  const coldMs = performance.now() - coldStart;

  const referenceTimes: number[] = [];
  for (let i = 0; i < repeats; i += 1) {
    const t = performance.now();
    await printer.printPdf('<!DOCTYPE html><html><body><p>Reference page</p></body></html>', { pageSize: 'A4' });
    referenceTimes.push(performance.now() - t);
  }
  const referenceMs = median(referenceTimes);

  console.log(`Chromium launch + first print: ${coldMs.toFixed(0)} ms`);
  console.log(`Reference (one-line page PDF), median of ${repeats}: ${referenceMs.toFixed(0)} ms\n`);
  console.log('report                      | HTML ms | PDF ms (median) | × reference | PDF size   | HTML size | pages');
  console.log('----------------------------|---------|-----------------|-------------|------------|-----------|------');
  const cases: Array<[string, string, 'en' | 'ja']> = [
    ['maturity', 'q4', 'en'],
    ['maturity', 'q4', 'ja'],
    ['maturity-history', 'q4', 'en'],
    ['maturity-history', 'q4', 'ja'],
    ['dataset', 'churn@sample', 'en'],
    ['dataset', 'churn@sample', 'ja'],
  ];
  for (const [reportId, id, locale] of cases) {
    const definition = findReportDefinition(reportId);
    const htmlTimes: number[] = [];
    const pdfTimes: number[] = [];
    let pdfSize = 0;
    let htmlSize = 0;
    let pages = 0;
    for (let i = 0; i < repeats; i += 1) {
      let t = performance.now();
      const html = await exportReport(definition, context(locale), { id }, { format: 'html', paper: 'A4' });
      htmlTimes.push(performance.now() - t);
      htmlSize = html.bytes.length;
      t = performance.now();
      const pdf = await exportReport(definition, context(locale), { id }, { format: 'pdf', paper: 'A4', printPdf: printer.printPdf });
      pdfTimes.push(performance.now() - t);
      pdfSize = pdf.bytes.length;
      pages = (Buffer.from(pdf.bytes).toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      if (process.env.MLWB_BENCH_KEEP) fs.writeFileSync(path.join(process.env.MLWB_BENCH_KEEP, `${reportId}-${locale}.pdf`), pdf.bytes);
    }
    const pdfMs = median(pdfTimes);
    console.log(
      `${`${reportId} (${locale})`.padEnd(28)}| ${median(htmlTimes).toFixed(1).padStart(7)} | ${pdfMs.toFixed(0).padStart(15)} | ${(pdfMs / referenceMs).toFixed(1).padStart(11)} | ${`${(pdfSize / 1024).toFixed(1)} KB`.padStart(10)} | ${`${(htmlSize / 1024).toFixed(1)} KB`.padStart(9)} | ${String(pages).padStart(5)}`,
    );
  }
  await printer.close();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
