import type { CliCommand } from '../command';
import { createAppHandlers } from '../../core/handlers/app-handlers';

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'Print versions, the workspace path and the health of its store',
  usage: 'mlwb doctor [--json]',
  async run(cli) {
    const report = await createAppHandlers(cli.app())['app:doctor']({});
    if (cli.json) {
      cli.out(JSON.stringify(report, null, 2));
    } else {
      cli.out(`MLOps Workbench ${report.appVersion}`);
      cli.out(`workspace:   ${report.workspace}`);
      cli.out(`database:    ${report.databasePath}`);
      cli.out(`objects:     ${report.objectsPath}`);
      cli.out(`schema:      version ${report.schemaVersion}, journal ${report.journalMode}, foreign keys ${report.foreignKeys ? 'on' : 'off'}`);
      cli.out(`integrity:   ${report.integrity}`);
      cli.out(`versions:    ${Object.entries(report.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      const jobs = Object.entries(report.jobs);
      cli.out(`jobs:        ${jobs.length ? jobs.map(([k, v]) => `${v} ${k}`).join(', ') : 'none'}`);
    }
    return report.integrity === 'ok' ? 0 : 1;
  },
};
