import type { ColumnType, CsvOptions, RuleResult, SuiteResult, ValidationRule, ValidationSuite } from '../../../shared/datasets';
import { validationSuiteSchema } from '../../../shared/datasets';
import { decodeField, scanCsvFile, type ScanOptions } from '../datasets/csv-scan';
import { hashBytes, hashBytesLane2, RowHashSet } from '../datasets/hash-sets';
import { parseNumberBytes } from '../datasets/parse-number';
import { isBooleanText, isDateText } from '../datasets/value-kinds';

/** Failing example rows kept per rule. */
export const MAX_FAILING_EXAMPLES = 5;

/** The value of one field as a rule sees it; text and number are computed lazily, once per field. */
interface FieldView {
  buf: Buffer;
  start: number;
  end: number;
  flag: number;
  fastNumber: number;
  missing: boolean;
  row: number;
  text(): string;
  number(): number;
}

/** A compiled rule: fed every value of its column (or nothing, for schema/row-count rules), then asked for its result. */
interface RuleChecker {
  rule: ValidationRule;
  column: number;
  onValue(v: FieldView): void;
  finish(rows: number): RuleResult;
}

function typeMatches(type: ColumnType, v: FieldView): boolean {
  switch (type) {
    case 'number':
      return !Number.isNaN(v.number());
    case 'integer':
      return Number.isInteger(v.number());
    case 'boolean':
      return isBooleanText(v.text());
    case 'date':
      return isDateText(v.text());
    default:
      return true;
  }
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toPrecision(6).replace(/\.?0+$/, '');
}

function rangeText(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return `between ${fmt(min)} and ${fmt(max)}`;
  if (min !== undefined) return `at least ${fmt(min)}`;
  if (max !== undefined) return `at most ${fmt(max)}`;
  return 'unbounded';
}

function inRange(x: number, min?: number, max?: number): boolean {
  return (min === undefined || x >= min) && (max === undefined || x <= max);
}

/** A row-level rule: each value either passes or is a failure with an example. */
function rowChecker(rule: ValidationRule, column: number, fails: (v: FieldView) => boolean, describe: (failing: number) => string): RuleChecker {
  let failing = 0;
  const examples: { row: number; value: string }[] = [];
  return {
    rule,
    column,
    onValue(v) {
      if (v.missing) return;
      if (fails(v)) {
        failing++;
        if (examples.length < MAX_FAILING_EXAMPLES) examples.push({ row: v.row, value: v.text() });
      }
    },
    finish() {
      return { rule, passed: failing === 0, observed: failing, failingCount: failing, failingExamples: examples, message: describe(failing) };
    },
  };
}

/** An aggregate over the numeric values of a column (mean/min/max). */
function statChecker(rule: ValidationRule & { min?: number; max?: number }, column: number, stat: 'mean' | 'min' | 'max'): RuleChecker {
  let n = 0;
  let sum = 0;
  let lo = Infinity;
  let hi = -Infinity;
  return {
    rule,
    column,
    onValue(v) {
      if (v.missing) return;
      const x = v.number();
      if (Number.isNaN(x)) return;
      n++;
      sum += x;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    },
    finish() {
      const observed = n === 0 ? null : stat === 'mean' ? sum / n : stat === 'min' ? lo : hi;
      const passed = observed !== null && inRange(observed, rule.min, rule.max);
      const message =
        observed === null
          ? `Column "${'column' in rule ? rule.column : ''}" has no numeric values, so its ${stat} is undefined.`
          : `${stat} is ${fmt(observed)}; expected ${rangeText(rule.min, rule.max)}.`;
      return { rule, passed, observed, failingCount: passed ? 0 : 1, failingExamples: [], message };
    },
  };
}

function compileRule(rule: ValidationRule, colIndex: Map<string, number>, declared: Map<string, ColumnType>): RuleChecker | RuleResult {
  if (rule.kind === 'row_count_between') {
    return {
      rule,
      column: -1,
      onValue() {},
      finish(rows) {
        const passed = inRange(rows, rule.min, rule.max);
        return { rule, passed, observed: rows, failingCount: passed ? 0 : 1, failingExamples: [], message: `${rows} rows; expected ${rangeText(rule.min, rule.max)}.` };
      },
    };
  }
  const column = colIndex.get(rule.column);
  if (column === undefined) {
    return { rule, passed: false, observed: null, failingCount: 0, failingExamples: [], message: `Column "${rule.column}" does not exist.` };
  }
  switch (rule.kind) {
    case 'column_exists':
      return { rule, passed: true, observed: rule.column, failingCount: 0, failingExamples: [], message: `Column "${rule.column}" exists.` };
    case 'not_null': {
      let missing = 0;
      const examples: { row: number; value: string }[] = [];
      return {
        rule,
        column,
        onValue(v) {
          if (!v.missing) return;
          missing++;
          if (examples.length < MAX_FAILING_EXAMPLES) examples.push({ row: v.row, value: v.text() });
        },
        finish(rows) {
          const share = rows > 0 ? missing / rows : 0;
          const passed = share <= rule.maxMissingShare;
          return {
            rule,
            passed,
            observed: share,
            failingCount: missing,
            failingExamples: passed ? [] : examples,
            message: `${missing} missing value(s) (${(share * 100).toFixed(2)}%); allowed at most ${(rule.maxMissingShare * 100).toFixed(2)}%.`,
          };
        },
      };
    }
    case 'between':
      return rowChecker(
        rule,
        column,
        (v) => {
          const x = v.number();
          return Number.isNaN(x) || !inRange(x, rule.min, rule.max);
        },
        (f) => `${f} value(s) not ${rangeText(rule.min, rule.max)}.`,
      );
    case 'in_set': {
      const set = new Set(rule.values);
      return rowChecker(rule, column, (v) => !set.has(v.text()), (f) => `${f} value(s) outside the allowed set of ${set.size}.`);
    }
    case 'matches_regex': {
      let re: RegExp;
      try {
        re = new RegExp(rule.pattern);
      } catch (e) {
        return { rule, passed: false, observed: null, failingCount: 0, failingExamples: [], message: `Invalid regular expression: ${(e as Error).message}` };
      }
      return rowChecker(rule, column, (v) => !re.test(v.text()), (f) => `${f} value(s) do not match /${rule.pattern}/.`);
    }
    case 'type_is': {
      const schemaType = declared.get(rule.column);
      const check = rowChecker(rule, column, (v) => !typeMatches(rule.type, v), (f) => `${f} value(s) are not of type ${rule.type} (the version's schema says ${schemaType}).`);
      return check;
    }
    case 'unique': {
      // 64-bit hashes of the raw bytes instead of a Set of strings: 16 bytes a row whatever the value length.
      const seen = new RowHashSet(Number.MAX_SAFE_INTEGER);
      return rowChecker(
        rule,
        column,
        (v) => {
          const a = hashBytes(v.buf, v.start, v.end);
          return !seen.add(a, hashBytesLane2);
        },
        (f) => `${f} value(s) repeat an earlier value.`,
      );
    }
    case 'mean_between':
      return statChecker(rule, column, 'mean');
    case 'min_between':
      return statChecker(rule, column, 'min');
    case 'max_between':
      return statChecker(rule, column, 'max');
  }
}

/** Options of {@link runSuite}. */
export type RunSuiteOptions = Pick<ScanOptions, 'signal' | 'onProgress'>;

/**
 * Runs a validation suite over a dataset version's file in one streamed pass:
 * each rule gets pass/fail, the observed value and up to five failing rows
 * (1-based data row numbers). Missing values are skipped by value rules (as
 * Great Expectations does) and only counted by not_null. A rule on an unknown
 * column fails with a message instead of throwing.
 */
export function runSuite(path: string, options: CsvOptions, suiteInput: ValidationSuite, run: RunSuiteOptions = {}): SuiteResult {
  const t0 = performance.now();
  const suite = validationSuiteSchema.parse(suiteInput);
  const latin1 = options.encoding === 'latin1';
  const colIndex = new Map(options.columns.map((c, i) => [c.name, i]));
  const declared = new Map(options.columns.map((c) => [c.name, c.type]));
  const compiled = suite.rules.map((r) => compileRule(r, colIndex, declared));
  const checkers = compiled.filter((c): c is RuleChecker => 'onValue' in c);
  const byColumn = new Map<number, RuleChecker[]>();
  for (const c of checkers) {
    if (c.column < 0) continue;
    const list = byColumn.get(c.column) ?? [];
    list.push(c);
    byColumn.set(c.column, list);
  }
  const columns = [...byColumn.keys()];
  const lists = columns.map((c) => byColumn.get(c)!);
  const markers = options.missingMarkers.map((m) => Buffer.from(m, latin1 ? 'latin1' : 'utf8'));
  const maxMarker = Math.max(0, ...markers.map((m) => m.length));

  let cachedText: string | null = null;
  let cachedNumber: number | null = null;
  const view: FieldView = {
    buf: Buffer.alloc(0),
    start: 0,
    end: 0,
    flag: 0,
    fastNumber: NaN,
    missing: false,
    row: 0,
    text() {
      if (cachedText === null) cachedText = decodeField(this.buf, this.start, this.end, this.flag, latin1);
      return cachedText;
    },
    number() {
      if (cachedNumber === null) cachedNumber = this.fastNumber === this.fastNumber ? this.fastNumber : parseNumberBytes(this.buf, this.start, this.end);
      return cachedNumber;
    },
  };
  let rows = 0;
  scanCsvFile(
    path,
    { delimiter: options.delimiter, hasHeader: options.hasHeader, encoding: options.encoding, raggedRows: options.raggedRows, columnCount: options.columns.length },
    {
      onRow(buf, spans, row) {
        rows = row;
        for (let k = 0; k < columns.length; k++) {
          const c = columns[k];
          const s = spans.starts[c];
          const e = spans.ends[c];
          let missing = false;
          if (e - s <= maxMarker) {
            for (const m of markers) {
              if (m.length === e - s && buf.compare(m, 0, m.length, s, e) === 0) {
                missing = true;
                break;
              }
            }
          }
          view.buf = buf;
          view.start = s;
          view.end = e;
          view.flag = spans.flags[c];
          view.fastNumber = spans.numbers[c];
          view.missing = missing;
          view.row = row;
          cachedText = null;
          cachedNumber = null;
          const list = lists[k];
          for (let j = 0; j < list.length; j++) list[j].onValue(view);
        }
      },
    },
    { signal: run.signal, onProgress: run.onProgress, sha256: false },
  );
  const results = compiled.map((c) => ('onValue' in c ? c.finish(rows) : c));
  return { suiteName: suite.name, passed: results.every((r) => r.passed), rows, results, durationMs: performance.now() - t0 };
}
