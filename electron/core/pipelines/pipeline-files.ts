/**
 * A pipeline as a file (YAML, so it reads well in a git repository) and as a
 * CI workflow (GitHub Actions, GitLab CI) that runs it with the CLI — the
 * first step of the chapter's Level 2. Written with the `yaml` library.
 */
import YAML from 'yaml';
import { AppError } from '../../../shared/errors';
import { PIPELINE_FILE_FORMAT, PIPELINE_FILE_KIND, pipelineFileSchema, type PipelineDefinition } from '../../../shared/pipelines';
import { formatZodIssues } from '../../../shared/zod-issues';

/** A file-system-safe slug of the pipeline's name. */
export function pipelineSlug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '') || 'pipeline'
  );
}

export function pipelineFileText(def: PipelineDefinition): string {
  return YAML.stringify({ kind: PIPELINE_FILE_KIND, formatVersion: PIPELINE_FILE_FORMAT, pipeline: def });
}

/** Parses a pipeline file; a corrupt, foreign or invalid file is refused with what is wrong. */
export function parsePipelineFile(text: string): PipelineDefinition {
  let doc: unknown;
  try {
    doc = YAML.parse(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new AppError('bad_input', `Not a readable pipeline file (YAML or JSON): ${(err as Error).message.split('\n')[0]}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new AppError('bad_input', 'Not a pipeline file: it holds no settings.');
  const parsed = pipelineFileSchema.safeParse(doc);
  if (!parsed.success) throw new AppError('bad_input', `Not a valid pipeline file: ${formatZodIssues(parsed.error.issues)}`);
  return parsed.data.pipeline;
}

const CLI_INSTALL = 'npm ci';

/**
 * A CI workflow running the pipeline headless: `mlwb pipelines run NAME
 * --workspace DIR --json`, whose exit code is 0 only when a model was
 * registered. The pipeline file sits beside it and is imported first, so the
 * repository is the source of truth.
 */
export function ciWorkflowText(def: PipelineDefinition, format: 'github' | 'gitlab'): string {
  const slug = pipelineSlug(def.name);
  const file = `pipelines/${slug}.mlwb.yaml`;
  const workspace = '.mlwb-workspace';
  const steps = [
    `npx mlwb pipelines import ${file} --workspace ${workspace}`,
    `npx mlwb pipelines run "${def.name}" --workspace ${workspace} --json > pipeline-run.json`,
  ];
  const doc =
    format === 'github'
      ? {
          name: `Retrain ${def.name}`,
          on: {
            workflow_dispatch: {},
            push: { paths: [file] },
            ...(def.triggers.schedule?.kind === 'daily'
              ? { schedule: [{ cron: utcDailyCron(def.triggers.schedule.at, def.timezone) }] }
              : {}),
          },
          jobs: {
            retrain: {
              'runs-on': 'ubuntu-latest',
              steps: [
                { uses: 'actions/checkout@v4' },
                { uses: 'actions/setup-node@v4', with: { 'node-version': '20' } },
                { name: 'Install the workbench CLI', run: CLI_INSTALL },
                ...steps.map((run, i) => ({ name: i === 0 ? 'Import the pipeline definition' : `Run pipeline ${def.name}`, run })),
                { uses: 'actions/upload-artifact@v4', if: 'always()', with: { name: `${slug}-run`, path: 'pipeline-run.json' } },
              ],
            },
          },
        }
      : {
          stages: ['retrain'],
          [`retrain-${slug}`]: {
            stage: 'retrain',
            image: 'node:20',
            rules: [{ if: '$CI_PIPELINE_SOURCE == "schedule"' }, { if: '$CI_PIPELINE_SOURCE == "web"' }, { changes: [file] }],
            script: [CLI_INSTALL, ...steps],
            artifacts: { when: 'always', paths: ['pipeline-run.json'] },
          },
        };
  const header =
    format === 'github'
      ? `# GitHub Actions: .github/workflows/retrain-${slug}.yml — exported by MLOps Workbench.\n# The job fails unless pipeline "${def.name}" registered a model.\n`
      : `# GitLab CI: .gitlab-ci.yml (or an include) — exported by MLOps Workbench.\n# The job fails unless pipeline "${def.name}" registered a model. Schedule it under CI/CD → Schedules.\n`;
  return header + YAML.stringify(doc, { lineWidth: 0 });
}

/** A daily HH:MM read in the pipeline's zone, as a UTC cron line (CI schedules are UTC), with the zone's offset of today. */
export function utcDailyCron(at: string, timezone: string, now = new Date()): string {
  const [h, m] = at.split(':').map(Number);
  const wall = (tz: string) => new Date(now.toLocaleString('en-US', { timeZone: tz })).getTime();
  const offset = Math.round((wall(timezone) - wall('UTC')) / 60_000);
  const minutes = (((h * 60 + m - offset) % 1440) + 1440) % 1440;
  return `${minutes % 60} ${Math.floor(minutes / 60)} * * *`;
}
