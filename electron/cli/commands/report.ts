import { AppError } from '../../../shared/errors';
import { REPORT_DEFINITIONS } from '../../core/reports/definitions';
import { listReportTargets } from '../../core/reports/export-report';
import { createWorkspaceReportContext } from '../../core/reports/workspace-reports';
import { type CliCommand, fail } from '../command';
import { EXPORT_OPTIONS, writeReportFiles } from './maturity';

export const reportListCommand: CliCommand = {
  name: 'report list',
  summary: 'List the reports of the pipeline and what each can be exported for',
  usage: 'mlwb report list [--json]',
  async run(cli) {
    const targets = await listReportTargets(createWorkspaceReportContext(cli.app()));
    if (cli.json) {
      cli.out(JSON.stringify({ reports: REPORT_DEFINITIONS.map((d) => ({ id: d.id, title: d.title.en })), targets }, null, 2));
      return 0;
    }
    for (const d of REPORT_DEFINITIONS) {
      cli.out(`${d.id} — ${d.title.en}`);
      const mine = targets.filter((t) => t.reportId === d.id);
      if (mine.length === 0) cli.out('    (nothing to report on yet)');
      for (const t of mine) cli.out(`    ${t.id}  ${t.label}`);
    }
    return 0;
  },
};

export const reportCommand: CliCommand = {
  name: 'report',
  summary: 'Export any report of the pipeline to PDF and/or HTML',
  usage: `mlwb report NAME ID [--pdf OUT.pdf] [--html OUT.html] [--paper A4|Letter] [--lang en|ja]   (NAME: ${REPORT_DEFINITIONS.map((d) => d.id).join(', ')})`,
  options: EXPORT_OPTIONS,
  async run(cli) {
    const [name, id] = cli.positionals;
    if (!name || !id || !(cli.value('pdf') || cli.value('html'))) {
      return fail(cli, `Usage: ${this.usage}`);
    }
    if (!REPORT_DEFINITIONS.some((d) => d.id === name)) {
      throw new AppError('not_found', `Unknown report "${name}". Known reports: ${REPORT_DEFINITIONS.map((d) => d.id).join(', ')}.`);
    }
    const written = await writeReportFiles(cli, name, id);
    if (cli.json) cli.out(JSON.stringify(written, null, 2));
    else for (const w of written) cli.out(`wrote ${w.file} (${w.bytes} bytes, ${w.ms.toFixed(0)} ms)`);
    return 0;
  },
};
