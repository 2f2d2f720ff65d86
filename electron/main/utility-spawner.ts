import { utilityProcess } from 'electron';
import type { FromWorker, ProcessHandle, SpawnProcess, ToWorker } from '../core/jobs/protocol';

/**
 * Starts workers (or scoring servers) as Electron utility processes (same
 * protocol as the fork spawner). `serviceName` names the process in
 * app.getAppMetrics and child-process-gone.
 */
export function createUtilitySpawner<Out = ToWorker, In = FromWorker>(
  entry: string,
  log: (line: string) => void,
  serviceName = 'MLOps Workbench worker',
): SpawnProcess<Out, In> {
  return () => {
    const child = utilityProcess.fork(entry, [], { serviceName, stdio: 'pipe' });
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) =>
        chunk
          .split('\n')
          .filter(Boolean)
          .forEach((l) => log(`[worker ${child.pid}] ${l}`)),
      );
    }
    let exited = false;
    const handle: ProcessHandle<Out, In> = {
      get pid() {
        return child.pid;
      },
      postMessage: (message) => {
        if (!exited) child.postMessage(message);
      },
      onMessage: (listener) => child.on('message', (m: unknown) => listener(m as In)),
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
