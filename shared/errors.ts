/**
 * Errors that cross a process boundary (IPC, HTTP, worker messages) as plain data.
 * Every failure the user can see has a stable `code` (for tests and i18n) and a
 * human message that names the thing that went wrong (a path, a field, a line).
 */
export type ErrorCode =
  | 'invalid_payload'
  | 'unknown_channel'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'workspace_unavailable'
  | 'store_corrupt'
  | 'job_failed'
  | 'job_cancelled'
  | 'bad_input'
  | 'internal';

/** The wire form of an error. */
export interface AppErrorData {
  code: ErrorCode;
  message: string;
  /** Optional structured details, e.g. zod issues or line numbers. */
  details?: unknown;
}

/** An error with a code, thrown by core and handlers, serialised across processes. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  /** The plain-data form sent over IPC or HTTP. */
  toData(): AppErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  /** Rebuilds an AppError from its wire form. */
  static fromData(data: AppErrorData): AppError {
    return new AppError(data.code, data.message, data.details);
  }
}

/** Turns anything thrown into wire data; unknown errors become `internal` with their message. */
export function toErrorData(err: unknown): AppErrorData {
  if (err instanceof AppError) return err.toData();
  if (err && typeof err === 'object' && 'code' in err && 'message' in err && typeof (err as AppErrorData).message === 'string') {
    const code = (err as { code: unknown }).code;
    if (typeof code === 'string' && isErrorCode(code)) return { code, message: (err as AppErrorData).message };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message };
}

const CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'invalid_payload',
  'unknown_channel',
  'forbidden',
  'not_found',
  'conflict',
  'workspace_unavailable',
  'store_corrupt',
  'job_failed',
  'job_cancelled',
  'bad_input',
  'internal',
]);

function isErrorCode(code: string): code is ErrorCode {
  return CODES.has(code);
}

/** The envelope every IPC/HTTP call answers with, so errors keep their code across the bridge. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: AppErrorData };
