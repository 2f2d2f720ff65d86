/** The child's end of the channel to whoever started this process (the same two cases as the job worker's runtime). */
export interface ParentChannel<Out, In> {
  postMessage(message: Out): void;
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
      onMessage: (l) => process.on('message', (m) => l(m as In)),
      onDisconnect: (l) => process.on('disconnect', l),
    };
  }
  return null;
}
