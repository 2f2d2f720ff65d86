import type { AppContext } from '../app-context';
import { ciWorkflowText, parsePipelineFile, pipelineFileText, pipelineSlug } from '../pipelines/pipeline-files';
import {
  cancelPipelineRun,
  ownerOf,
  pipelineDetail,
  retryPipelineRun,
  savePipeline,
  setPipelineEnabled,
  startPipelineRun,
  summaryOf,
} from '../pipelines/pipeline-service';
import type { HandlersFor } from './handler-types';

type PipelineChannel = Extract<keyof typeof import('../../../shared/contracts/pipelines').pipelineChannels, string>;

/** Pipelines: definitions (versioned), runs by hand, retries, cancel, files and CI workflows, notifications. */
export function createPipelineHandlers(ctx: AppContext): HandlersFor<PipelineChannel> {
  const { store } = ctx;
  const owner = () => ownerOf(ctx.shell === 'cli' ? 'cli' : 'app');
  const changed = () => ctx.events.emit('changed', { topic: 'pipelines' });
  return {
    'pipelines:list': () => store.pipelines.list().map((p) => summaryOf(store, p)),
    'pipelines:get': ({ name }) => pipelineDetail(store, name),
    'pipelines:save': ({ definition }) => savePipeline(ctx, definition),
    'pipelines:setEnabled': ({ name, enabled }) => setPipelineEnabled(ctx, name, enabled),
    'pipelines:delete': ({ name }) => {
      store.pipelines.delete(name);
      changed();
      return { deleted: true as const };
    },
    'pipelines:run': ({ name }) => startPipelineRun(ctx, name, ctx.shell === 'cli' ? 'cli' : 'manual', { owner: owner() }),
    'pipelines:runs': ({ name, limit }) => store.pipelines.listRuns({ pipelineId: name ? store.pipelines.get(name).id : undefined, limit }),
    'pipelines:getRun': ({ runId }) => store.pipelines.getRun(runId),
    'pipelines:retry': ({ runId }) => retryPipelineRun(ctx, runId, owner()),
    'pipelines:cancel': ({ runId }) => cancelPipelineRun(ctx, runId),
    'pipelines:export': ({ name, format }) => {
      const def = store.pipelines.get(name).definition;
      const slug = pipelineSlug(def.name);
      if (format === 'pipeline') return { fileName: `${slug}.mlwb.yaml`, text: pipelineFileText(def) };
      return { fileName: format === 'github' ? `retrain-${slug}.yml` : `.gitlab-ci.yml`, text: ciWorkflowText(def, format) };
    },
    // Importing a pipeline of an existing name saves the file as its next version (the file is the source of truth).
    'pipelines:import': ({ text }) => savePipeline(ctx, parsePipelineFile(text)),
    'pipelines:notifications': ({ includeRead }) => store.pipelines.notifications(includeRead),
    'pipelines:markRead': ({ id }) => {
      const updated = store.pipelines.markRead(id);
      changed();
      return { updated };
    },
  };
}
