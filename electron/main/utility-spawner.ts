import { utilityProcess } from 'electron';
import type { FromWorker, SpawnWorker, WorkerHandle } from '../core/jobs/protocol';

/** Starts workers as Electron utility processes (same protocol as the fork spawner). */
export function createUtilitySpawner(entry: string, log: (line: string) => void): SpawnWorker {
  return () => {
    const child = utilityProcess.fork(entry, [], { serviceName: 'MLOps Workbench worker', stdio: 'pipe' });
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => chunk.split('\n').filter(Boolean).forEach((l) => log(`[worker ${child.pid}] ${l}`)));
    }
    let exited = false;
    const handle: WorkerHandle = {
      get pid() {
        return child.pid;
      },
      postMessage: (message) => {
        if (!exited) child.postMessage(message);
      },
      onMessage: (listener) => child.on('message', (m: unknown) => listener(m as FromWorker)),
      onExit: (listener) =>
        child.once('exit', (code: number) => {
          exited = true;
          listener(`exit code ${code}`);
        }),
      kill: () => {
        if (!exited) child.kill();
      },
    };
    return handle;
  };
}
