import fs from 'node:fs';
import path from 'node:path';
import type { ImportResult, ValidationResultRecord } from '../../../shared/contracts/datasets';
import { importRequestSchema } from '../../../shared/contracts/datasets';
import {
  columnTypeSchema,
  csvOptionsSchema,
  delimiterSchema,
  encodingSchema,
  validationSuiteSchema,
  type CsvOptions,
} from '../../../shared/datasets';
import { AppError } from '../../../shared/errors';
import { formatZodIssues } from '../../../shared/zod-issues';
import { exportVersion, importDatasetJob, validateVersionJob } from '../../core/datasets/dataset-jobs';
import { toInputError } from '../../core/datasets/dataset-tasks';
import { diffProfiles } from '../../core/datasets/diff-profiles';
import { sniffCsvFile } from '../../core/datasets/sniff-csv';
import { type CliCommand, fail } from '../command';
import { runJobWithProgress } from '../run-job';

const fmtNum = (n: number | undefined): string =>
  n === undefined || Number.isNaN(n) ? '' : Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6)));

function pad(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
}

const DELIMITER_NAMES: Record<string, string> = { comma: ',', semicolon: ';', tab: '\t', pipe: '|' };

export const dataImportCommand: CliCommand = {
  name: 'data import',
  summary: 'Import a CSV file as a new version of a dataset (sniffs delimiter, header, encoding, types)',
  usage:
    'mlwb data import FILE --name NAME --tag TAG [--delimiter comma|semicolon|tab|pipe] [--no-header] [--encoding utf-8|utf-8-bom|latin1] [--type COLUMN=TYPE]… [--skip-ragged] [--md5] [--json]',
  options: {
    name: { type: 'string' },
    tag: { type: 'string' },
    delimiter: { type: 'string' },
    'no-header': { type: 'boolean' },
    encoding: { type: 'string' },
    type: { type: 'string', multiple: true },
    'skip-ragged': { type: 'boolean' },
    md5: { type: 'boolean' },
  },
  async run(cli) {
    const [file] = cli.positionals;
    const nameArg = cli.value('name');
    const tagArg = cli.value('tag');
    if (!file || nameArg === undefined || tagArg === undefined) return fail(cli, `Usage: ${this.usage}`);
    // Name and tag: the import request's own schema, as the app's datasets:import.
    const ids = importRequestSchema.pick({ name: true, tag: true }).safeParse({ name: nameArg, tag: tagArg });
    if (!ids.success)
      return fail(
        cli,
        formatZodIssues(ids.error.issues, (p) => `--${p}`),
      );
    const { name, tag } = ids.data;
    const d = cli.value('delimiter');
    const delimiter = d === undefined ? undefined : delimiterSchema.safeParse(DELIMITER_NAMES[d] ?? d);
    if (delimiter && !delimiter.success) return fail(cli, '--delimiter must be comma, semicolon, tab or pipe.');
    const e = cli.value('encoding');
    const encoding = e === undefined ? undefined : encodingSchema.safeParse(e);
    if (encoding && !encoding.success) return fail(cli, '--encoding must be utf-8, utf-8-bom or latin1.');
    const source = path.resolve(file);
    let options: CsvOptions;
    try {
      const s = sniffCsvFile(source, {
        delimiter: delimiter?.data,
        encoding: encoding?.data,
        hasHeader: cli.has('no-header') ? false : undefined,
      });
      for (const w of s.warnings) cli.err(`warning: ${w}`);
      const columns = s.columns.map((c) => ({ ...c }));
      for (const spec of cli.values('type')) {
        const [col, type] = spec.split('=');
        const target = columns.find((c) => c.name === col);
        const parsed = columnTypeSchema.safeParse(type);
        if (!target) return fail(cli, `--type ${spec}: no column named "${col}" (columns: ${columns.map((c) => c.name).join(', ')}).`);
        if (!parsed.success) return fail(cli, `--type ${spec}: the type must be one of ${columnTypeSchema.options.join(', ')}.`);
        target.type = parsed.data;
      }
      options = csvOptionsSchema.parse({
        delimiter: s.delimiter,
        hasHeader: s.hasHeader,
        encoding: s.encoding,
        missingMarkers: s.missingMarkers,
        columns,
        raggedRows: cli.has('skip-ragged') ? 'skip' : 'error',
      });
    } catch (err) {
      const e2 = toInputError(err);
      return fail(cli, `${source}: ${(e2 as Error).message}`, 1);
    }
    try {
      // Before the job: the same rule (and words) as the app's handler and the import job.
      cli.app().store.datasets.assertTagFree(name, tag);
    } catch (err) {
      if (err instanceof AppError && err.code === 'conflict') return fail(cli, err.message, 1);
      throw err;
    }
    const job = await runJobWithProgress(cli, importDatasetJob, {
      path: source,
      name,
      tag,
      options,
      sourceName: path.basename(source),
      md5: cli.has('md5'),
    });
    if (job.status !== 'succeeded') return 1;
    const r = job.result as ImportResult;
    if (cli.json) cli.out(JSON.stringify(r, null, 2));
    else cli.out(`${r.message}\nsha256 ${r.sha256}`);
    return 0;
  },
};

export const dataListCommand: CliCommand = {
  name: 'data list',
  summary: 'List datasets and their versions',
  usage: 'mlwb data list [--json]',
  async run(cli) {
    const list = cli.app().store.datasets.listDatasets();
    if (cli.json) {
      cli.out(JSON.stringify(list, null, 2));
      return 0;
    }
    if (list.length === 0) {
      cli.out('No datasets yet. Import one with `mlwb data import FILE --name NAME --tag TAG`.');
      return 0;
    }
    const rows = [['DATASET@TAG', 'ROWS', 'COLS', 'SIZE', 'SHA256', 'IMPORTED']];
    for (const d of list)
      for (const v of d.versions)
        rows.push([`${d.name}@${v.tag}`, String(v.rows), String(v.columns), String(v.size), v.sha256.slice(0, 12), v.createdAt]);
    for (const line of pad(rows)) cli.out(line);
    return 0;
  },
};

export const dataProfileCommand: CliCommand = {
  name: 'data profile',
  summary: 'Show the profile of a dataset version (types, missing share, statistics, duplicates)',
  usage: 'mlwb data profile NAME@TAG [--json]',
  async run(cli) {
    const [ref] = cli.positionals;
    if (!ref) return fail(cli, `Usage: ${this.usage}`);
    const v = cli.app().store.datasets.findVersionByRef(ref);
    if (cli.json) {
      cli.out(JSON.stringify({ dataset: v.datasetName, tag: v.tag, sha256: v.sha256, size: v.size, ...v.profile }, null, 2));
      return 0;
    }
    cli.out(
      `${v.datasetName}@${v.tag}: ${v.profile.rows} rows, ${v.profile.columns.length} columns, ${v.profile.duplicateRows} duplicate rows, sha256 ${v.sha256}`,
    );
    const rows = [['COLUMN', 'TYPE', 'MISSING', 'DISTINCT', 'MIN', 'MEAN', 'MEDIAN', 'MAX', 'STD', 'TOP']];
    for (const c of v.profile.columns) {
      rows.push([
        c.name,
        c.type,
        `${(c.missingShare * 100).toFixed(1)}%`,
        `${c.distinct}${c.distinctCapped ? '+' : ''}`,
        c.min !== undefined ? fmtNum(c.min) : (c.minText ?? ''),
        fmtNum(c.mean),
        fmtNum(c.median),
        c.max !== undefined ? fmtNum(c.max) : (c.maxText ?? ''),
        fmtNum(c.std),
        (c.topValues ?? [])
          .slice(0, 3)
          .map((t) => `${t.value} (${t.count})`)
          .join(', '),
      ]);
    }
    for (const line of pad(rows)) cli.out(line);
    for (const w of v.profile.warnings) cli.out(`warning: ${w}`);
    return 0;
  },
};

export const dataValidateCommand: CliCommand = {
  name: 'data validate',
  summary: "Run a validation suite (a saved suite's name, or a suite JSON file) on a dataset version",
  usage: 'mlwb data validate NAME@TAG --suite SUITE|FILE.json [--json]',
  options: { suite: { type: 'string' } },
  async run(cli) {
    const [ref] = cli.positionals;
    const suiteArg = cli.value('suite');
    if (!ref || !suiteArg) return fail(cli, `Usage: ${this.usage}`);
    const app = cli.app();
    const v = app.store.datasets.findVersionByRef(ref);
    let suite = app.store.datasets.findSuiteByName(v.datasetId, suiteArg);
    if (!suite) {
      if (!fs.existsSync(suiteArg))
        return fail(cli, `No suite named "${suiteArg}" on dataset "${v.datasetName}", and no file ${suiteArg}.`, 1);
      const parsed = validationSuiteSchema.safeParse(JSON.parse(fs.readFileSync(suiteArg, 'utf8')));
      if (!parsed.success) return fail(cli, `${suiteArg} is not a valid suite: ${formatZodIssues(parsed.error.issues)}`, 1);
      // A suite from a file is saved on the dataset (replacing one of the same name) so its results are listed with the version.
      const existing = app.store.datasets.findSuiteByName(v.datasetId, parsed.data.name);
      suite = app.store.datasets.saveSuite(v.datasetId, parsed.data, existing?.id);
    }
    const job = await runJobWithProgress(cli, validateVersionJob, {
      suiteId: suite.id,
      versionId: v.id,
      label: `${v.datasetName}@${v.tag} with "${suite.name}"`,
    });
    if (job.status !== 'succeeded') return 1;
    const rec = job.result as ValidationResultRecord;
    if (cli.json) cli.out(JSON.stringify(rec.result, null, 2));
    else {
      for (const r of rec.result.results) {
        const where = 'column' in r.rule ? ` ${r.rule.column}` : '';
        const examples = r.failingExamples.length ? `  e.g. ${r.failingExamples.map((x) => `row ${x.row}: "${x.value}"`).join(', ')}` : '';
        cli.out(`${r.passed ? 'PASS' : 'FAIL'}  ${r.rule.kind}${where}: ${r.message}${examples}`);
      }
      cli.out(
        `${rec.passed ? 'passed' : 'FAILED'}: ${rec.result.results.filter((r) => r.passed).length}/${rec.result.results.length} rules on ${v.datasetName}@${v.tag}`,
      );
    }
    return rec.passed ? 0 : 1;
  },
};

export const dataDiffCommand: CliCommand = {
  name: 'data diff',
  summary: 'Compare two dataset versions: columns added/removed/retyped, rows, statistics',
  usage: 'mlwb data diff NAME@TAG NAME@TAG [--json]',
  async run(cli) {
    const [a, b] = cli.positionals;
    if (!a || !b) return fail(cli, `Usage: ${this.usage}`);
    const app = cli.app();
    const va = app.store.datasets.findVersionByRef(a);
    const vb = app.store.datasets.findVersionByRef(b);
    const d = diffProfiles(va.profile, vb.profile);
    if (cli.json) {
      cli.out(JSON.stringify(d, null, 2));
      return 0;
    }
    cli.out(
      `rows: ${d.rowsBefore} → ${d.rowsAfter} (${d.rowDelta >= 0 ? '+' : ''}${d.rowDelta}); duplicate rows ${d.duplicateRowsBefore} → ${d.duplicateRowsAfter}`,
    );
    for (const c of d.added) cli.out(`+ column ${c.name} (${c.type})`);
    for (const c of d.removed) cli.out(`- column ${c.name} (${c.type})`);
    for (const c of d.retyped) cli.out(`~ column ${c.name}: ${c.before} → ${c.after}`);
    for (const c of d.columns)
      cli.out(
        `  ${c.name}: ${c.changes.map((x) => `${x.stat} ${fmtNum(x.before ?? undefined)} → ${fmtNum(x.after ?? undefined)}`).join(', ')}`,
      );
    if (!d.added.length && !d.removed.length && !d.retyped.length && !d.columns.length && d.rowDelta === 0)
      cli.out('No differences in schema or statistics.');
    return 0;
  },
};

export const dataExportCommand: CliCommand = {
  name: 'data export',
  summary: 'Write a dataset version back to a CSV file (checkout)',
  usage: 'mlwb data export NAME@TAG OUT.csv',
  async run(cli) {
    const [ref, out] = cli.positionals;
    if (!ref || !out) return fail(cli, `Usage: ${this.usage}`);
    const app = cli.app();
    const v = app.store.datasets.findVersionByRef(ref);
    try {
      const r = await exportVersion(app, v.id, out);
      if (cli.json) cli.out(JSON.stringify(r));
      else cli.out(`wrote ${r.bytes} bytes to ${r.path}`);
      return 0;
    } catch (err) {
      if (err instanceof AppError) return fail(cli, err.message, 1);
      throw err;
    }
  },
};

/** The `mlwb data …` commands. */
export const DATA_COMMANDS: readonly CliCommand[] = [
  dataImportCommand,
  dataListCommand,
  dataProfileCommand,
  dataValidateCommand,
  dataDiffCommand,
  dataExportCommand,
];
