import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { AppError, type Envelope } from '../../shared/errors';
import { channels } from '../../shared/ipc';
import { dispatchRequest } from '../core/handlers/dispatch';
import type { HandlerMap } from '../core/handlers';

/** Name of the one channel events travel on, main → renderer. */
export const EVENT_CHANNEL = 'mlwb:event';

/**
 * Registers one ipcMain.handle per contract channel. Each call first checks
 * the sender is a frame of our own window showing our own page, then hands the
 * raw payload to dispatchRequest, which validates it with zod.
 */
export function registerIpcHandlers(handlers: HandlerMap, isTrustedSender: (contents: WebContents, frameUrl: string) => boolean): () => void {
  const names = Object.keys(channels);
  for (const name of names) {
    ipcMain.handle(name, async (event: IpcMainInvokeEvent, payload: unknown): Promise<Envelope<unknown>> => {
      const frameUrl = event.senderFrame?.url ?? '';
      if (!isTrustedSender(event.sender, frameUrl)) {
        return { ok: false, error: new AppError('forbidden', `IPC from an untrusted sender was refused (${frameUrl || 'no frame'}).`).toData() };
      }
      return dispatchRequest(handlers, name, payload);
    });
  }
  return () => names.forEach((name) => ipcMain.removeHandler(name));
}
