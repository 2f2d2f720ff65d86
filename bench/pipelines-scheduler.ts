/**
 * The pipeline scheduler's idle cost (issue 13): 50 enabled pipelines with
 * schedules (daily, weekly, every N hours, cron; in several time zones) and
 * nothing due. The scheduler's tick runs as it would in an hour —
 * 3600 s / tickMs ticks, the clock moved by tickMs each time (the hour
 * repeated HOURS times for a steadier figure) — and the CPU
 * time of the process (process.cpuUsage, user + system) is reported per hour
 * of scheduler time. A second set adds the new-data trigger on a watched
 * CSV to each (a stat per tick; no hashing while the file is unchanged).
 * Run: npx tsx bench/pipelines-scheduler.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAppContext } from '../electron/core/app-context';
import { createForkSpawner } from '../electron/core/jobs/fork-spawner';
import { PipelineScheduler, type SchedulerClock } from '../electron/core/pipelines/scheduler';
import { PIPELINE_LIMITS, pipelineDefinitionSchema, type Schedule } from '../shared/pipelines';

const ROOT = path.resolve(__dirname, '..');
const PIPELINES = 50;
const HOURS = 10;
const TICKS_PER_HOUR = Math.round(3_600_000 / PIPELINE_LIMITS.tickMs);
const ZONES = ['UTC', 'Europe/Berlin', 'Asia/Tokyo', 'America/New_York', 'Australia/Sydney'];

function schedule(i: number): Schedule {
  switch (i % 4) {
    case 0:
      return { kind: 'daily', at: '03:00' };
    case 1:
      return { kind: 'weekly', day: 'sun', at: '04:30' };
    case 2:
      return { kind: 'hours', every: 24 };
    default:
      return { kind: 'cron', expression: '15 5 1 * *' };
  }
}

async function measure(label: string, watch: boolean): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlwb-bench-scheduler-'));
  const ctx = createAppContext({
    workspaceDir: tmp,
    resourcesDir: path.join(ROOT, 'resources'),
    spawnWorker: createForkSpawner({ entry: path.join(ROOT, 'tests/helpers/test-worker.ts'), execArgv: ['--import', 'tsx'], log: () => {} }),
    poolSize: 1,
    appVersion: 'bench',
    shell: 'cli',
  });
  try {
    // 10:00 UTC on Wednesday 10 June: nothing above is due within the hour in any of the zones.
    const start = Date.UTC(2026, 5, 10, 10);
    const csv = path.join(tmp, 'incoming.csv');
    fs.writeFileSync(csv, 'a,b,y\n1,2,0\n3,4,1\n');
    const stat = fs.statSync(csv);
    for (let i = 0; i < PIPELINES; i++) {
      const name = `pipeline ${String(i + 1).padStart(2, '0')}`;
      const def = pipelineDefinitionSchema.parse({
        name,
        source: watch ? { kind: 'watch', path: csv, dataset: `feed ${i}` } : { kind: 'dataset', dataset: `data ${i}` },
        training: { target: 'y', testSize: 0.25, cvFolds: 0, seed: 1 },
        models: [{ algorithm: 'logreg', params: {} }],
        model: `model-${i}`,
        gates: {},
        triggers: { schedule: schedule(i), onNewData: watch, onDrift: false },
        timezone: ZONES[i % ZONES.length],
      });
      ctx.store.pipelines.save(def, 'bench', start);
      ctx.store.pipelines.setEnabled(name, true, start, {
        scheduleAnchor: start,
        ...(watch ? { watchSize: stat.size, watchMtime: Math.round(stat.mtimeMs), watchSha256: 'seen' } : {}),
      });
    }
    let now = start;
    const clock: SchedulerClock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} };
    let started = 0;
    const scheduler = new PipelineScheduler(ctx, {
      clock,
      start: () => {
        started++;
        throw new Error('nothing should be due');
      },
    });
    // Warm-up (JIT, prepared statements), not counted.
    for (let i = 0; i < 20; i++) await scheduler.tick(start);
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    // The same hour (10:00–11:00 UTC) run HOURS times, for a steadier figure.
    for (let t = 0; t < HOURS * TICKS_PER_HOUR; t++) {
      now = start + (t % TICKS_PER_HOUR) * PIPELINE_LIMITS.tickMs;
      const events = await scheduler.tick();
      if (events.length) throw new Error(`unexpected: ${JSON.stringify(events[0])}`);
    }
    const cpu = process.cpuUsage(cpu0);
    const wallMs = performance.now() - wall0;
    if (started) throw new Error(`${started} runs started`);
    const cpuMsPerHour = (cpu.user + cpu.system) / 1000 / HOURS;
    const perTick = (cpu.user + cpu.system) / 1000 / (HOURS * TICKS_PER_HOUR);
    console.log(
      `${label}: ${PIPELINES} pipelines, ${TICKS_PER_HOUR} ticks/h (tick ${PIPELINE_LIMITS.tickMs / 1000} s), the hour run ${HOURS} times → ` +
        `CPU ${cpuMsPerHour.toFixed(1)} ms per hour of scheduler time (${perTick.toFixed(3)} ms per tick; ` +
        `${((100 * cpuMsPerHour) / 3_600_000).toFixed(5)} % of one core); wall ${(wallMs / HOURS).toFixed(1)} ms per hour`,
    );
  } finally {
    ctx.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}`);
  await measure('schedules only', false);
  await measure('schedules + watched CSV (new data)', true);
}

void main();
