import { describe, expect, it } from 'vitest';
import { decideRendererRecovery, DEFAULT_CRASH_LOOP_GUARD, describeChildProcessGone, type RendererRecovery } from './crash-recovery';

const LOG = '/home/Jane Doe/ws/logs/main.log';
const crashed = { reason: 'crashed' as const, exitCode: 11 };

/** Feeds losses at the given times through the decision, as main does, and returns each decision. */
function replay(times: number[], details: Parameters<typeof decideRendererRecovery>[0] = crashed): RendererRecovery[] {
  let recent: number[] = [];
  return times.map((t) => {
    const d = decideRendererRecovery(details, recent, t, LOG);
    recent = d.recentLosses;
    return d;
  });
}

describe('renderer crash recovery', () => {
  it('reloads a crashed, killed or out-of-memory renderer', () => {
    for (const reason of ['crashed', 'killed', 'oom', 'abnormal-exit', 'memory-eviction', 'clean-exit'] as const) {
      expect(decideRendererRecovery({ reason, exitCode: 1 }, [], 1_000, LOG).action).toBe('reload');
    }
  });

  it('stops reloading after three losses within a minute and says why, with the log path', () => {
    const decisions = replay([0, 10_000, 20_000]);
    expect(decisions.map((d) => d.action)).toEqual(['reload', 'reload', 'show-error']);
    const last = decisions[2];
    if (last.action !== 'show-error') throw new Error('expected an error');
    expect(last.message).toContain('stopped 3 times in 60 seconds');
    expect(last.detail).toContain('crashed (exit code 11)');
    expect(last.detail).toContain(LOG);
  });

  it('forgets losses older than the window: occasional crashes always reload', () => {
    const step = DEFAULT_CRASH_LOOP_GUARD.withinMs / 2 + 1;
    expect(replay([0, step, 2 * step, 3 * step, 4 * step]).map((d) => d.action)).toEqual([
      'reload',
      'reload',
      'reload',
      'reload',
      'reload',
    ]);
    expect(replay([0, step, 2 * step]).at(-1)!.recentLosses).toEqual([step, 2 * step]);
  });

  it('does not reload what a reload cannot fix', () => {
    for (const reason of ['launch-failed', 'integrity-failure'] as const) {
      const d = decideRendererRecovery({ reason, exitCode: 5 }, [], 0, LOG);
      expect(d.action).toBe('show-error');
    }
  });

  it('honours a custom guard', () => {
    expect(decideRendererRecovery(crashed, [], 0, LOG, { maxLosses: 1, withinMs: 1_000 }).action).toBe('show-error');
    expect(decideRendererRecovery(crashed, [0], 5_000, LOG, { maxLosses: 2, withinMs: 1_000 }).action).toBe('reload');
  });
});

describe('child process gone', () => {
  it('names the process and the reason, louder for crashes than for clean exits', () => {
    expect(
      describeChildProcessGone({
        type: 'Utility',
        serviceName: 'node.mojom.NodeService',
        name: 'MLOps Workbench worker',
        reason: 'crashed',
        exitCode: 139,
      }),
    ).toEqual({
      level: 'error',
      line: 'child process gone: Utility MLOps Workbench worker, reason crashed, exit code 139',
    });
    expect(describeChildProcessGone({ type: 'GPU', reason: 'killed', exitCode: 15 }).level).toBe('warn');
    expect(describeChildProcessGone({ type: 'Utility', reason: 'clean-exit', exitCode: 0 }).level).toBe('info');
  });
});
