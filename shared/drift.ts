/**
 * Types of a column-drift check: inputs, options and the report (computed in
 * electron/core/monitoring/, shown by the renderer, stored with each check).
 */

/** One column of a data set: numbers (NaN = missing) or categories (null, undefined or '' = missing). */
export type DriftColumnInput =
  | { name: string; kind: 'number'; values: Float64Array }
  | { name: string; kind: 'category'; values: readonly (string | null | undefined)[] };

/** A set of equally long columns (a data set version, a CSV, a window of logged predictions). */
export interface DriftColumnSet {
  /** Row count; every column has this many values. */
  rows: number;
  columns: readonly DriftColumnInput[];
}

/**
 * Which tests decide drift:
 * - 'chapter': the chapter's DataDriftMonitor — KS for numbers, chi-square for categories, drift when p < threshold (0.05);
 * - 'evidently': Evidently's default choice per column (see column-drift.ts).
 */
export type DriftRule = 'chapter' | 'evidently';

/** The test behind a column's verdict. */
export type DriftTest = 'ks' | 'chi-square' | 'wasserstein' | 'jensen-shannon' | 'psi';

/** Options of a drift check; every field has the default shown. */
export interface DriftOptions {
  /** 'chapter'. */
  rule?: DriftRule;
  /** p-value threshold of KS and chi-square: 0.05. */
  pThreshold?: number;
  /** Threshold of the normed Wasserstein distance: 0.1 (Evidently). */
  wassersteinThreshold?: number;
  /** Threshold of the Jensen–Shannon distance (base 2): 0.1 (Evidently). */
  jensenShannonThreshold?: number;
  /** Threshold of PSI when it is the chosen test: 0.1 (Evidently's PSI default). */
  psiThreshold?: number;
  /** Dataset drift (and a retraining recommendation) when the share of drifting columns is above this: 0.3 (the chapter). */
  driftShareThreshold?: number;
  /** KS p-value method, as scipy's ks_2samp `method`: 'auto'. */
  ksMethod?: 'auto' | 'exact' | 'asymp';
  /** Force a test for numeric columns instead of the rule's choice. */
  numberTest?: 'ks' | 'wasserstein' | 'psi';
  /** Force a test for categorical columns instead of the rule's choice. */
  categoryTest?: 'chi-square' | 'jensen-shannon' | 'psi';
  /** Columns to check (the chapter's alert_features): all baseline columns, then current-only ones. */
  columns?: readonly string[];
  /** Histogram bins of the overlay chart: 20. */
  histogramBins?: number;
  /** Categories shown as bars (the rest summed as "other"): 10. */
  topCategories?: number;
}

/** Summary statistics of one side of a column. */
export interface DriftSideStats {
  /** Rows in the set (missing values included). */
  rows: number;
  /** Non-missing values (for numbers: including ±Infinity). */
  count: number;
  missing: number;
  /** missing / rows (0 when there are no rows). */
  missingShare: number;
  /** ±Infinity values (numbers only; left out of mean/std/min/max/median, histograms, Wasserstein and PSI). */
  infinite: number;
  /** Over the finite values; null for categories or when there are none. */
  mean: number | null;
  /** Sample standard deviation (ddof = 1, as pandas' .std() in the chapter); null below 2 finite values. */
  std: number | null;
  min: number | null;
  max: number | null;
  median: number | null;
  /** Distinct non-missing values; for numbers exact up to 100 and null above (counting a million distinct doubles costs more than the KS test). */
  unique: number | null;
}

/** Overlay chart data: a histogram on shared edges, or bars of the top categories. */
export type DriftChart =
  | {
      kind: 'histogram';
      /** bins + 1 ascending edges shared by both sides; the last bin is closed. */
      edges: number[];
      baselineCounts: number[];
      currentCounts: number[];
      /** Counts divided by each side's finite values, for overlaying unequal sizes. */
      baselineShares: number[];
      currentShares: number[];
    }
  | {
      kind: 'bars';
      /** The most frequent categories over both sides, by pooled share. */
      categories: string[];
      baselineCounts: number[];
      currentCounts: number[];
      baselineShares: number[];
      currentShares: number[];
      /** Counts of the categories not shown. */
      otherBaseline: number;
      otherCurrent: number;
    };

/** Whether a column drifted; 'not-tested' always comes with the reason. */
export type DriftStatus = 'drift' | 'no-drift' | 'not-tested';

/** Why a column has its status, for translated messages (the English sentence is in `reason`). */
export type DriftReasonCode =
  | 'tested'
  | 'missing-in-current'
  | 'missing-in-baseline'
  | 'type-changed'
  | 'no-baseline-rows'
  | 'no-current-rows'
  | 'all-missing-baseline'
  | 'all-missing-current'
  | 'no-finite-baseline'
  | 'no-finite-current'
  | 'not-computable';

/** One row of the report. */
export interface ColumnDriftResult {
  column: string;
  /** The column's type in the baseline (the current one's when it is missing from the baseline). */
  type: 'number' | 'category';
  /** The type in the current set when it differs from the baseline's (then not tested). */
  currentType?: 'number' | 'category';
  /** The test that decided; null when not tested. */
  test: DriftTest | null;
  /** KS D or chi-square statistic; for distance tests the distance again; null when not tested. */
  statistic: number | null;
  /** For KS and chi-square; null for distances. */
  pValue: number | null;
  /** For Wasserstein (normed), Jensen–Shannon and PSI; null for p-value tests. */
  distance: number | null;
  /** The p-value or distance threshold applied. */
  threshold: number | null;
  status: DriftStatus;
  /** status === 'drift'. */
  drifted: boolean;
  /** One sentence saying why: the comparison made, or why the column could not be tested. */
  reason: string;
  reasonCode: DriftReasonCode;
  /** Extra facts (exact → asymp fallback, infinities left out, small samples, Evidently deviations). */
  notes: string[];
  /** KS only: the p-value method used. */
  ksMethod?: 'exact' | 'asymp';
  /** Chi-square only: degrees of freedom. */
  dof?: number;
  /** PSI on baseline-decile bins (numbers) or category shares, whatever the test; null when not computable. */
  psi: number | null;
  baseline: DriftSideStats;
  current: DriftSideStats;
  /** (current mean - baseline mean) / baseline mean * 100, as the chapter; null when undefined (baseline mean 0, no values). */
  meanShiftPct: number | null;
  chart: DriftChart | null;
}

/** The summary line of a report. */
export interface DriftSummary {
  /** Columns with a verdict. */
  tested: number;
  drifted: number;
  notTested: number;
  /** drifted / tested (0 when nothing was tested). */
  driftShare: number;
  driftShareThreshold: number;
  /** driftShare > driftShareThreshold (the chapter's n_drift > len(results) * 0.3). */
  datasetDrift: boolean;
  /** The chapter recommends retraining exactly when the data set drifts. */
  retrainingRecommended: boolean;
  /** One sentence for the report header. */
  message: string;
}

/** A drift report: settings, one row per column (drifting first), summary. */
export interface DriftResult {
  rule: DriftRule;
  settings: {
    pThreshold: number;
    wassersteinThreshold: number;
    jensenShannonThreshold: number;
    psiThreshold: number;
    driftShareThreshold: number;
    ksMethod: 'auto' | 'exact' | 'asymp';
    numberTest: 'ks' | 'wasserstein' | 'psi' | null;
    categoryTest: 'chi-square' | 'jensen-shannon' | 'psi' | null;
  };
  baselineRows: number;
  currentRows: number;
  columns: ColumnDriftResult[];
  /** The column names in input order (baseline's, then current-only ones), for tables that keep the data set's order. */
  columnOrder: string[];
  summary: DriftSummary;
}
