import { fork } from 'node:child_process';
import type { FromWorker, ProcessHandle, SpawnProcess, ToWorker } from './protocol';

export interface ForkSpawnerOptions {
  /** The worker entry script (built `out/main/job-worker.js`, or the .ts entry under tsx in tests). */
  entry: string;
  execArgv?: string[];
  /** Where worker stdout/stderr lines go (the log); default: this process's stderr. */
  log?: (line: string) => void;
  /** Prefix of the default log lines ("worker", "scoring server"). */
  label?: string;
}

/**
 * Starts workers (or scoring servers) with child_process.fork — the stand-in for Electron's
 * utilityProcess where there is no Electron (CLI, tests, browser host). Same
 * message protocol; 'advanced' serialisation so typed arrays cross intact.
 */
export function createForkSpawner<Out = ToWorker, In = FromWorker>(options: ForkSpawnerOptions): SpawnProcess<Out, In> {
  return () => {
    const child = fork(options.entry, [], {
      execArgv: options.execArgv ?? [],
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const log = options.log ?? ((line: string) => process.stderr.write(`[${options.label ?? 'worker'} ${child.pid}] ${line}\n`));
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => chunk.split('\n').filter(Boolean).forEach(log));
    }
    let exited = false;
    const handle: ProcessHandle<Out, In> = {
      pid: child.pid,
      postMessage: (message) => {
        if (!exited && child.connected) child.send(message as object);
      },
      onMessage: (listener) => child.on('message', (m) => listener(m as In)),
      onExit: (listener) =>
        child.once('exit', (code, signal) => {
          exited = true;
          listener(signal ? `killed by ${signal}` : `exit code ${code}`);
        }),
      kill: () => {
        if (!exited) child.kill('SIGKILL');
      },
    };
    return handle;
  };
}
