/**
 * Typed errors for the training engine. Every bad-input path throws a
 * `TrainingError` with a stable machine-readable `code`, so callers (IPC,
 * CLI, UI) can map it to a message without parsing strings.
 */
export type TrainingErrorCode =
  | 'EMPTY_DATA'
  | 'UNKNOWN_COLUMN'
  | 'ONE_CLASS'
  | 'TOO_MANY_CLASSES'
  | 'TOO_FEW_ROWS'
  | 'NON_FINITE_VALUE'
  | 'NON_NUMERIC_TARGET'
  | 'NO_FEATURES'
  | 'BAD_PARAM'
  | 'BAD_MODEL'
  | 'BAD_INPUT'
  | 'CANCELLED';

/** Error thrown for any invalid input or state in the training engine. */
export class TrainingError extends Error {
  readonly code: TrainingErrorCode;
  readonly details?: Record<string, unknown>;
  constructor(code: TrainingErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'TrainingError';
    this.code = code;
    this.details = details;
  }
}

/** True when `e` is a TrainingError (also across worker boundaries where only `name`/`code` survive). */
export function isTrainingError(e: unknown): e is TrainingError {
  return e instanceof TrainingError || (typeof e === 'object' && e !== null && (e as { name?: string }).name === 'TrainingError');
}
