/**
 * Every report of the pipeline. To add one: write its definition file in
 * this folder and add it to this list (its id becomes `mlwb report <id>`).
 */
import type { ReportDefinition } from '../report-definition';
import { datasetReport } from './dataset-report';
import { driftReport } from './drift-report';
import { maturityHistoryReport } from './maturity-history-report';
import { maturityReport } from './maturity-report';
import { modelCardReport } from './model-card-report';
import { runComparisonReport } from './run-comparison-report';

export const REPORT_DEFINITIONS: readonly ReportDefinition[] = [
  maturityReport,
  maturityHistoryReport,
  datasetReport,
  runComparisonReport,
  modelCardReport,
  driftReport,
];
