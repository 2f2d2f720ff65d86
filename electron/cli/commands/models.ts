/**
 * `mlwb models …`: the model registry from scripts and CI. Each command goes
 * through the contract's dispatcher (the app's schemas and rules: gates,
 * approvals, the audit log), with `via = cli` in the audit rows.
 */
import {
  MODEL_STAGES,
  parseGateExpression,
  type GateReport,
  type GateSpec,
  type ModelStage,
  type ModelVersion,
} from '../../../shared/registry';
import { type CliCommand, fail } from '../command';
import { callChannel, table, withInputErrors } from './runs';

const age = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 16);

function versionRow(v: ModelVersion): string[] {
  const headline = v.metrics.accuracy ?? v.metrics.r2;
  return [
    String(v.version),
    v.stage,
    v.aliases.join(','),
    v.algorithm,
    v.datasetLabel,
    headline === undefined ? '—' : headline.toFixed(4),
    v.runId,
    v.createdBy,
    age(v.createdAt),
  ];
}

function printGates(out: (t: string) => void, gates: GateReport): void {
  for (const c of gates.checks) out(`  ${c.passed ? 'pass' : 'FAIL'}  ${c.message}`);
}

export const modelsListCommand: CliCommand = {
  name: 'models list',
  summary: 'List registered models with their Production and Staging versions',
  usage: 'mlwb models list [QUERY] [--json]',
  async run(cli) {
    const models = await callChannel(cli, 'registry:models', { query: cli.positionals[0] });
    if (cli.json) {
      cli.out(JSON.stringify(models, null, 2));
      return 0;
    }
    const rows = [['NAME', 'VERSIONS', 'PRODUCTION', 'STAGING', 'ALIASES']];
    for (const m of models)
      rows.push([
        m.name,
        String(m.versionCount),
        m.production.map((v) => `v${v}`).join(',') || '—',
        m.latest.Staging ? `v${m.latest.Staging}` : '—',
        Object.entries(m.aliases)
          .map(([a, v]) => `${a}=v${v}`)
          .join(','),
      ]);
    for (const line of table(rows)) cli.out(line);
    cli.out(`${models.length} model(s)`);
    return 0;
  },
};

export const modelsShowCommand: CliCommand = {
  name: 'models show',
  summary: 'Show a registered model and its versions',
  usage: 'mlwb models show NAME [--json]',
  async run(cli) {
    const [name] = cli.positionals;
    if (!name) return fail(cli, `Usage: ${this.usage}`);
    return withInputErrors(cli, async () => {
      const detail = await callChannel(cli, 'registry:model', { name });
      if (cli.json) {
        cli.out(JSON.stringify(detail, null, 2));
        return 0;
      }
      cli.out(`${detail.model.name}${detail.model.requireApproval ? '  (Production needs approval)' : ''}`);
      if (detail.model.description) cli.out(detail.model.description);
      for (const line of table([
        ['VERSION', 'STAGE', 'ALIASES', 'MODEL', 'DATASET', 'SCORE', 'RUN', 'BY', 'CREATED'],
        ...detail.versions.map(versionRow),
      ]))
        cli.out(line);
      for (const r of detail.pendingApprovals)
        cli.out(`pending: v${r.version} → ${r.toStage}, requested by ${r.requestedBy} (request ${r.id}): ${r.comment}`);
      return 0;
    });
  },
};

export const modelsRegisterCommand: CliCommand = {
  name: 'models register',
  summary: "Register a run's model as a new version, optionally behind gates (exit code 3 when a gate refuses it)",
  usage:
    "mlwb models register RUN_ID --name NAME [--gate 'accuracy>=0.8'] [--max-cv-gap 0.1] [--beat-production] [--description TEXT] [--json]",
  options: {
    name: { type: 'string' },
    gate: { type: 'string' },
    'max-cv-gap': { type: 'string' },
    'beat-production': { type: 'boolean' },
    description: { type: 'string' },
  },
  async run(cli) {
    const [runId] = cli.positionals;
    const name = cli.value('name');
    if (!runId || !name) return fail(cli, `Usage: ${this.usage}`);
    const gates: GateSpec = {};
    const gate = cli.value('gate');
    if (gate !== undefined) {
      const parsed = parseGateExpression(gate);
      if (!parsed) return fail(cli, `--gate: write it as METRIC OP THRESHOLD, e.g. 'accuracy>=0.8' (OP is >=, >, <= or <); got "${gate}".`);
      gates.metric = parsed;
    }
    const gap = cli.value('max-cv-gap');
    if (gap !== undefined) gates.maxCvGap = Number(gap);
    if (cli.has('beat-production')) gates.beatProduction = true;
    return withInputErrors(cli, async () => {
      const res = await callChannel(cli, 'registry:register', { runId, name, gates, description: cli.value('description') });
      if (cli.json) cli.out(JSON.stringify(res, null, 2));
      else if (res.registered) {
        cli.out(`registered ${name} version ${res.version!.version}`);
        printGates(cli.out, res.gates);
      } else {
        cli.out(`not registered: a gate refused the model`);
        printGates(cli.out, res.gates);
      }
      return res.registered ? 0 : 3;
    });
  },
};

export const modelsPromoteCommand: CliCommand = {
  name: 'models promote',
  summary: 'Move a version to a stage (with a comment); with approvals on, files a request',
  usage: `mlwb models promote NAME VERSION --stage ${MODEL_STAGES.join('|')} --comment TEXT [--keep-existing] [--json]`,
  options: { stage: { type: 'string' }, comment: { type: 'string' }, 'keep-existing': { type: 'boolean' } },
  async run(cli) {
    const [name, version] = cli.positionals;
    const stageText = cli.value('stage');
    if (!name || !version || !stageText) return fail(cli, `Usage: ${this.usage}`);
    const stage = MODEL_STAGES.find((s) => s.toLowerCase() === stageText.toLowerCase());
    if (!stage) return fail(cli, `--stage: one of ${MODEL_STAGES.join(', ')}; got "${stageText}".`);
    return withInputErrors(cli, async () => {
      const res = await callChannel(cli, 'registry:transition', {
        name,
        version: Number(version),
        stage: stage as ModelStage,
        comment: cli.value('comment') ?? '',
        keepExisting: cli.has('keep-existing'),
      });
      if (cli.json) cli.out(JSON.stringify(res, null, 2));
      else if (res.done) cli.out(`${name} version ${res.version.version} is now in ${res.version.stage}`);
      else cli.out(`approval requested (request ${res.request.id}): ${name} version ${res.request.version} → ${res.request.toStage}`);
      return 0;
    });
  },
};

export const modelsRollbackCommand: CliCommand = {
  name: 'models rollback',
  summary: 'Put the previous Production version back (with the reason)',
  usage: 'mlwb models rollback NAME --comment TEXT [--json]',
  options: { comment: { type: 'string' } },
  async run(cli) {
    const [name] = cli.positionals;
    if (!name) return fail(cli, `Usage: ${this.usage}`);
    return withInputErrors(cli, async () => {
      const v = await callChannel(cli, 'registry:rollback', { name, comment: cli.value('comment') ?? '' });
      cli.out(cli.json ? JSON.stringify(v, null, 2) : `${name}: version ${v.version} is back in Production`);
      return 0;
    });
  },
};

export const modelsAliasCommand: CliCommand = {
  name: 'models alias',
  summary: 'Point an alias (champion, challenger, …) at a version; --delete removes it',
  usage: 'mlwb models alias NAME ALIAS [VERSION | --delete] [--json]',
  options: { delete: { type: 'boolean' } },
  async run(cli) {
    const [name, alias, version] = cli.positionals;
    if (!name || !alias || (!version && !cli.has('delete'))) return fail(cli, `Usage: ${this.usage}`);
    return withInputErrors(cli, async () => {
      const m = cli.has('delete')
        ? await callChannel(cli, 'registry:deleteAlias', { name, alias })
        : await callChannel(cli, 'registry:setAlias', { name, alias, version: Number(version) });
      cli.out(
        cli.json
          ? JSON.stringify(m.aliases, null, 2)
          : cli.has('delete')
            ? `removed alias ${alias}`
            : `${name}@${alias} → version ${m.aliases[alias]}`,
      );
      return 0;
    });
  },
};

export const modelsAuditCommand: CliCommand = {
  name: 'models audit',
  summary: 'Show the audit log (of one model, or all); --csv prints CSV',
  usage: 'mlwb models audit [NAME] [--action ACTION] [--actor USER] [--limit N] [--csv] [--json]',
  options: { action: { type: 'string' }, actor: { type: 'string' }, limit: { type: 'string' }, csv: { type: 'boolean' } },
  async run(cli) {
    const limit = cli.value('limit');
    const filter = {
      model: cli.positionals[0],
      action: cli.value('action') as never,
      actor: cli.value('actor'),
      limit: limit === undefined ? undefined : Number(limit),
    };
    return withInputErrors(cli, async () => {
      if (cli.has('csv')) {
        cli.out((await callChannel(cli, 'registry:auditCsv', filter)).trimEnd());
        return 0;
      }
      const rows = await callChannel(cli, 'registry:audit', filter);
      if (cli.json) {
        cli.out(JSON.stringify(rows, null, 2));
        return 0;
      }
      const lines = [['TIME', 'ACTOR', 'VIA', 'ACTION', 'MODEL', 'VERSION', 'FROM', 'TO', 'COMMENT']];
      for (const e of rows)
        lines.push([
          age(e.at),
          e.actor,
          e.via,
          e.action,
          e.model,
          e.version === null ? '' : String(e.version),
          e.from ?? '',
          e.to ?? '',
          e.comment,
        ]);
      for (const line of table(lines)) cli.out(line);
      return 0;
    });
  },
};

export const MODELS_COMMANDS: readonly CliCommand[] = [
  modelsListCommand,
  modelsShowCommand,
  modelsRegisterCommand,
  modelsPromoteCommand,
  modelsRollbackCommand,
  modelsAliasCommand,
  modelsAuditCommand,
];
