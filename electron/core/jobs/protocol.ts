import type { AppErrorData } from '../../../shared/errors';

/**
 * Messages between the supervisor and a worker process. The same protocol runs
 * over Electron's utilityProcess (MessagePort) and over child_process.fork (IPC
 * channel), so workers and tests do not care which one carries them.
 */
export type ToWorker = { type: 'task'; taskId: number; name: string; params: unknown };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; taskId: number; done: number; total: number; message: string | null }
  | { type: 'done'; taskId: number; result: unknown }
  | { type: 'error'; taskId: number; error: AppErrorData };

/**
 * A running child process, whichever API started it (utilityProcess or fork),
 * sending `Out` and receiving `In`. Job workers and scoring servers share it.
 */
export interface ProcessHandle<Out, In> {
  readonly pid: number | undefined;
  postMessage(message: Out): void;
  onMessage(listener: (message: In) => void): void;
  /** Called once when the process ends; `reason` says how (exit code or signal). */
  onExit(listener: (reason: string) => void): void;
  /** Ends the process at once (SIGKILL where the platform has it). */
  kill(): void;
}

/** Starts one child process speaking `Out`/`In`. */
export type SpawnProcess<Out, In> = () => ProcessHandle<Out, In>;

/** A running worker process, whichever API started it. */
export type WorkerHandle = ProcessHandle<ToWorker, FromWorker>;

/** Starts one worker process. */
export type SpawnWorker = SpawnProcess<ToWorker, FromWorker>;
