/**
 * "Roll back automatically if the next monitoring window is worse": after a
 * pipeline promoted a version to Production by itself (promotion.toProduction
 * with rollbackIfWorse), the first complete prediction-monitoring window after
 * the promotion that has labelled predictions of the new version is compared
 * with the last complete labelled window of the previous Production version
 * before it — accuracy (classification) or R² (regression). Worse → the
 * registry's rollback, audited as "pipeline NAME", and a notification. The
 * verdict is written to the run's promote step log, so it happens once.
 */
import type { WindowSize } from '../../../shared/monitoring';
import type { PipelineRun } from '../../../shared/pipelines';
import { predictionWindows, settingsOf, windowStart } from '../monitoring/prediction-monitor';
import { rollback } from '../registry/registry-service';
import type { PipelineRecord } from '../store/pipelines-repo';
import { notifyPipeline } from './pipeline-service';
import type { SchedulerContext, SchedulerEvent } from './scheduler';

/** The prefix of the promote step's log line that ends the watch. */
export const ROLLBACK_VERDICT = 'Rollback watch:';

const WINDOW_MS: Record<WindowSize, number> = { '1h': 3_600_000, '6h': 6 * 3_600_000, '1d': 86_400_000, '7d': 7 * 86_400_000 };
/** Windows after the promotion to wait for labels in; past it the watch ends without a verdict. */
const HORIZON_WINDOWS = 7;
/** Windows before the promotion searched for the previous version's last labelled one. */
const LOOKBACK_WINDOWS = 30;
/** Runs of a pipeline searched for its newest automatic promotion. */
const RUNS_SEARCHED = 20;

/** The newest run of the pipeline whose promote step promoted, with the promotion time; null when none. */
function newestPromotion(ctx: SchedulerContext, p: PipelineRecord): { run: PipelineRun; at: number } | null {
  for (const r of ctx.store.pipelines.listRuns({ pipelineId: p.id, limit: RUNS_SEARCHED })) {
    if (r.status !== 'succeeded' || r.modelVersion === null) continue;
    const run = ctx.store.pipelines.getRun(r.id);
    const step = run.steps.find((s) => s.name === 'promote');
    if (step?.detail.promoted === true && step.finishedAt !== null) return { run, at: step.finishedAt };
  }
  return null;
}

/** Pipeline id → its newest run id when there was nothing (more) to watch: skipped until it has a newer run. */
export type RollbackMemo = Map<number, number>;

/** Checks each auto-promoting pipeline's newest promotion once its first labelled window is complete; the rollbacks done. */
export function watchRollbacks(
  ctx: SchedulerContext,
  pipelines: PipelineRecord[],
  now: number,
  via: string,
  memo: RollbackMemo = new Map(),
): SchedulerEvent[] {
  const out: SchedulerEvent[] = [];
  for (const p of pipelines) {
    const { promotion, model } = p.definition;
    if (!promotion.toProduction || !promotion.rollbackIfWorse) continue;
    const newestRun = ctx.store.pipelines.lastRun(p.id)?.id ?? 0;
    if (memo.get(p.id) === newestRun) continue;
    const found = newestPromotion(ctx, p);
    const step = found?.run.steps.find((s) => s.name === 'promote');
    if (!found || !step || step.log.some((l) => l.text.startsWith(ROLLBACK_VERDICT))) {
      memo.set(p.id, newestRun);
      continue;
    }
    const { run, at } = found;
    const verdict = (text: string) => {
      ctx.store.pipelines.appendLog(run.id, 'promote', { at: now, text: `${ROLLBACK_VERDICT} ${text}` });
      memo.set(p.id, newestRun);
    };

    const version = run.modelVersion!;
    const stores = ctx.store;
    const size = settingsOf(stores, model).window;
    const w = WINDOW_MS[size];
    // The first window that starts at or after the promotion (a window the old version shared is not "after").
    const first = windowStart(at, size) === at ? at : windowStart(at, size) + w;
    if (now < first + w) continue; // no complete window yet: cheap
    let current;
    try {
      current = stores.registry.getVersion(model, version);
    } catch {
      verdict(`v${version} no longer exists; nothing to watch.`);
      continue;
    }
    if (current.stage !== 'Production') {
      verdict(`v${version} is no longer in Production (${current.stage}); nothing to roll back.`);
      continue;
    }
    const task = current.task;
    const score = (x: { accuracy: number | null; r2: number | null }) => (task === 'regression' ? x.r2 : x.accuracy);
    const metric = task === 'regression' ? 'R²' : 'accuracy';
    const after = predictionWindows(stores, { name: model, version, window: size, from: first, to: Math.min(now, first + HORIZON_WINDOWS * w) })
      .windows.filter((x) => x.start >= first && x.end <= now && score(x) !== null);
    if (!after.length) {
      if (now >= first + HORIZON_WINDOWS * w) verdict(`no labelled ${size} window of v${version} within ${HORIZON_WINDOWS} windows of the promotion; kept.`);
      continue;
    }
    const next = after[0];
    const previous = previousProduction(ctx, model, version, at);
    if (previous === null) {
      verdict(`no previous Production version to compare v${version} with; kept.`);
      continue;
    }
    const before = predictionWindows(stores, { name: model, version: previous, window: size, from: at - LOOKBACK_WINDOWS * w, to: at })
      .windows.filter((x) => x.end <= at && score(x) !== null)
      .at(-1);
    if (!before) {
      verdict(`no labelled ${size} window of v${previous} before the promotion to compare with; kept v${version}.`);
      continue;
    }
    const a = score(next)!;
    const b = score(before)!;
    const when = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
    const comparison = `${metric} ${a.toFixed(4)} in the ${size} window from ${when(next.start)} (v${version}, ${next.labelled} labelled) vs ${b.toFixed(4)} in the window from ${when(before.start)} (v${previous}, ${before.labelled} labelled)`;
    if (a >= b) {
      verdict(`${comparison}: not worse, kept v${version}.`);
      continue;
    }
    try {
      const restored = rollback(
        { store: ctx.store, events: ctx.events, runTask: (name, params) => ctx.pool.runTask(name, params) },
        { actor: `pipeline ${p.name}`, via },
        { name: model, comment: `Automatic rollback: ${comparison}.` },
      );
      verdict(`${comparison}: worse, rolled back to v${restored.version}.`);
      const message = `${model} rolled back from v${version} to v${restored.version}: ${comparison}.`;
      notifyPipeline(ctx, { pipeline: p.name, runId: run.id, kind: 'rolled-back', message });
      out.push({ type: 'rolled-back', pipeline: p.name, message });
    } catch (err) {
      verdict(`${comparison}: worse, but the rollback was refused: ${(err as Error).message}`);
    }
    ctx.events.emit('changed', { topic: 'pipelines' });
  }
  return out;
}

/** The version that was in Production before `version` was promoted at `at` (the audit log's newest earlier move to Production). */
function previousProduction(ctx: SchedulerContext, model: string, version: number, at: number): number | null {
  const existing = new Set(ctx.store.registry.listVersions(model).map((v) => v.version));
  const entry = ctx.store.registry
    .listAudit({ model, limit: 1000 })
    .find((a) => (a.action === 'transition' || a.action === 'rollback') && a.to === 'Production' && a.version !== null && a.version !== version && a.at <= at && existing.has(a.version));
  return entry?.version ?? null;
}
