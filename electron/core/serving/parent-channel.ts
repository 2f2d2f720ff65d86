/** The child's end of the channel to whoever started this process (the same two cases as the job worker's runtime). */
export interface ParentChannel<Out, In> {
  postMessage(message: Out): void;
  /** Posts a last message and calls `then` once it (and every message before it) has left this process. */
  postLast(message: Out, then: () => void): void;
  onMessage(listener: (message: In) => void): void;
  /** Called when the parent goes away (fork's IPC channel closed). */
  onDisconnect(listener: () => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

/**
 * Under Electron this process is a utilityProcess and talks over
 * `process.parentPort`; under plain Node (CLI, tests, browser host) it was
 * started with child_process.fork and talks over the IPC channel. Null when
 * neither started it.
 */
export function connectToParent<Out, In>(): ParentChannel<Out, In> | null {
  const parentPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (parentPort) {
    return {
      postMessage: (m) => parentPort.postMessage(m),
      // The port hands messages over at once; a moment lets them leave before the process does.
      postLast: (m, then) => {
        parentPort.postMessage(m);
        setTimeout(then, 50);
      },
      onMessage: (l) => parentPort.on('message', (e) => l(e.data as In)),
      // A utility process ends with the app; there is no disconnect to watch.
      onDisconnect: () => undefined,
    };
  }
  if (process.send) {
    return {
      postMessage: (m) => {
        if (process.connected) process.send!(m);
      },
      // Messages queue while the parent is busy; exiting before they are written would lose the last log batches.
      postLast: (m, then) => {
        if (!process.connected) return then();
        process.send!(m, undefined, {}, () => then());
      },
      onMessage: (l) => process.on('message', (m) => l(m as In)),
      onDisconnect: (l) => process.on('disconnect', l),
    };
  }
  return null;
}
