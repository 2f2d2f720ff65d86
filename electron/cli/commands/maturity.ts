import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import type { Locale } from '../../../shared/maturity';
import { createMaturityHandlers } from '../../core/handlers/maturity-handlers';
import { formatLevelBar, scoreAssessment } from '../../core/maturity/score-assessment';
import { MATURITY_LEVEL_INFO, MATURITY_RECOMMENDATIONS } from '../../../shared/maturity-content';
import { exportWorkspaceReport } from '../../core/reports/workspace-reports';
import type { Paper } from '../../core/reports/report-document';
import type { OptionSpecs } from '../../core/command-line';
import { type CliCommand, type CliContext, fail } from '../command';

/** --paper / --lang of every command that prints. */
export const PRINT_OPTIONS = { paper: { type: 'string' }, lang: { type: 'string' } } as const satisfies OptionSpecs;
/** The options of a report export: the files to write and how to print them. */
export const EXPORT_OPTIONS = { pdf: { type: 'string' }, html: { type: 'string' }, ...PRINT_OPTIONS } as const satisfies OptionSpecs;

/** Reads --paper / --lang, refusing anything else. */
export function readPrintFlags(cli: CliContext): { paper: Paper; language?: Locale } {
  const paper = cli.value('paper') ?? 'A4';
  if (paper !== 'A4' && paper !== 'Letter') throw new AppError('bad_input', `--paper must be A4 or Letter (got "${paper}").`);
  const lang = cli.value('lang');
  if (lang !== undefined && lang !== 'en' && lang !== 'ja') throw new AppError('bad_input', `--lang must be en or ja (got "${lang}").`);
  return { paper, language: lang };
}

/** Exports one report to the files asked for (--pdf / --html); returns what was written. */
export async function writeReportFiles(
  cli: CliContext,
  reportId: string,
  targetId: string,
): Promise<Array<{ file: string; bytes: number; ms: number }>> {
  const { paper, language } = readPrintFlags(cli);
  const written: Array<{ file: string; bytes: number; ms: number }> = [];
  for (const format of ['pdf', 'html'] as const) {
    const out = cli.value(format);
    if (!out) continue;
    const started = performance.now();
    const { exported } = await exportWorkspaceReport(cli.app(), { reportId, targetId, format, paper, language });
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    fs.writeFileSync(out, exported.bytes);
    written.push({ file: path.resolve(out), bytes: exported.bytes.length, ms: performance.now() - started });
  }
  return written;
}

function printWritten(cli: CliContext, written: Array<{ file: string; bytes: number; ms: number }>): void {
  if (cli.json) cli.out(JSON.stringify(written, null, 2));
  else for (const w of written) cli.out(`wrote ${w.file} (${w.bytes} bytes, ${w.ms.toFixed(0)} ms)`);
}

export const maturityListCommand: CliCommand = {
  name: 'maturity list',
  summary: 'List maturity assessments with their level and scores',
  usage: 'mlwb maturity list [--json]',
  async run(cli) {
    const list = await createMaturityHandlers(cli.app())['maturity:list']({});
    if (cli.json) cli.out(JSON.stringify(list, null, 2));
    else if (list.length === 0) cli.out('No assessments yet.');
    else
      for (const a of list) {
        cli.out(
          `${a.id}  ${a.date}  ${a.organisation}${a.team ? ` — ${a.team}` : ''}  Level ${a.level}  L0 ${a.scores[0].toFixed(1)}% · L1 ${a.scores[1].toFixed(1)}% · L2 ${a.scores[2].toFixed(1)}%  (${a.answeredCount}/${a.totalItems}, ${a.status})`,
        );
      }
    return 0;
  },
};

export const maturityShowCommand: CliCommand = {
  name: 'maturity show',
  summary: "Print an assessment's scores, level and recommendations (the chapter's report)",
  usage: 'mlwb maturity show ID [--lang en|ja] [--json]',
  options: { lang: PRINT_OPTIONS.lang },
  async run(cli) {
    const [id] = cli.positionals;
    if (!id) {
      return fail(cli, `Usage: ${this.usage}`);
    }
    const { language } = readPrintFlags(cli);
    const locale = language ?? cli.app().store.settings.getSettings().language;
    const assessment = cli.app().store.maturity.getAssessment(id);
    const result = scoreAssessment(assessment.answers, assessment.settings);
    if (cli.json) {
      cli.out(JSON.stringify(result, null, 2));
      return 0;
    }
    cli.out(
      `${assessment.meta.organisation}${assessment.meta.team ? ` — ${assessment.meta.team}` : ''} (${assessment.meta.date}), ${result.answeredCount}/${result.totalItems} answered`,
    );
    for (const s of result.levelScores) cli.out(`Level ${s.level}: ${formatLevelBar(s.score)}`);
    cli.out(`Level: ${result.level} - ${MATURITY_LEVEL_INFO[result.level].name[locale]}`);
    MATURITY_RECOMMENDATIONS[result.level].forEach((rec, i) => cli.out(`  ${i + 1}. ${rec[locale]}`));
    return 0;
  },
};

export const maturityExportCommand: CliCommand = {
  name: 'maturity export',
  summary: 'Export an assessment as PDF (maturity report), HTML and/or JSON',
  usage: 'mlwb maturity export ID [--pdf OUT.pdf] [--html OUT.html] [--json-file OUT.json] [--paper A4|Letter] [--lang en|ja]',
  options: { ...EXPORT_OPTIONS, 'json-file': { type: 'string' } },
  async run(cli) {
    const [id] = cli.positionals;
    const jsonFile = cli.value('json-file');
    if (!id || !(cli.value('pdf') || cli.value('html') || jsonFile)) {
      return fail(cli, `Usage: ${this.usage}`);
    }
    cli.app().store.maturity.getAssessment(id); // not_found before any printing
    const written = await writeReportFiles(cli, 'maturity', id);
    if (jsonFile) {
      const started = performance.now();
      const { json } = await createMaturityHandlers(cli.app())['maturity:exportJson']({ id });
      fs.writeFileSync(jsonFile, json);
      written.push({ file: path.resolve(jsonFile), bytes: Buffer.byteLength(json), ms: performance.now() - started });
    }
    printWritten(cli, written);
    return 0;
  },
};

export const maturityImportCommand: CliCommand = {
  name: 'maturity import',
  summary: 'Import an assessment exported as JSON on another machine',
  usage: 'mlwb maturity import FILE.json [--json]',
  async run(cli) {
    const [file] = cli.positionals;
    if (!file) {
      return fail(cli, `Usage: ${this.usage}`);
    }
    const imported = await createMaturityHandlers(cli.app())['maturity:importJson']({ path: path.resolve(file) });
    if (cli.json) cli.out(JSON.stringify(imported, null, 2));
    else
      cli.out(
        `imported ${imported.id} (${imported.meta.organisation}, ${imported.meta.date}, ${Object.keys(imported.answers).length} answers)`,
      );
    return 0;
  },
};

export const MATURITY_COMMANDS: readonly CliCommand[] = [
  maturityListCommand,
  maturityShowCommand,
  maturityExportCommand,
  maturityImportCommand,
];
