import { AppError, toErrorData, type Envelope } from '../../../shared/errors';
import { channels, isChannelName, MAX_REQUEST_BYTES } from '../../../shared/ipc';
import { formatZodIssues, zodIssueLines } from '../../../shared/zod-issues';
import type { HandlerMap } from './handler-types';

/**
 * Runs one request against the handler map: unknown channel, oversized or
 * malformed payload all become typed errors — never a throw into the transport.
 * Both Electron's IPC and the browser host call this, after their own sender check.
 */
export async function dispatchRequest(handlers: HandlerMap, channel: unknown, payload: unknown): Promise<Envelope<unknown>> {
  try {
    if (typeof channel !== 'string' || !isChannelName(channel)) {
      throw new AppError('unknown_channel', `Unknown channel: ${String(channel).slice(0, 100)}`);
    }
    if (approximateSize(payload) > MAX_REQUEST_BYTES) {
      throw new AppError('invalid_payload', `The request to ${channel} is larger than ${MAX_REQUEST_BYTES} bytes.`);
    }
    const parsed = channels[channel].request.safeParse(payload ?? {});
    if (!parsed.success) {
      throw new AppError(
        'invalid_payload',
        `Invalid request to ${channel}: ${formatZodIssues(parsed.error.issues)}`,
        zodIssueLines(parsed.error.issues),
      );
    }
    const handler = handlers[channel] as (req: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    return { ok: false, error: toErrorData(err) };
  }
}

function approximateSize(value: unknown): number {
  if (value === undefined) return 0;
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return Infinity;
  }
}
