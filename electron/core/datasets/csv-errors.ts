/** Machine-readable kinds of CSV problems, so the UI and CLI can react to them. */
export type CsvErrorCode =
  | 'empty_file'
  | 'header_only'
  | 'ragged_rows'
  | 'unterminated_quote'
  | 'bad_quote'
  | 'binary_file'
  | 'invalid_utf8'
  | 'bad_columns'
  | 'record_too_long';

/**
 * A problem with the file's content. The message is written for the person
 * importing the file (it is shown as is in the UI); `lines` holds 1-based
 * physical line numbers where that makes sense.
 */
export class CsvFormatError extends Error {
  readonly code: CsvErrorCode;
  readonly lines: number[];
  constructor(code: CsvErrorCode, message: string, lines: number[] = []) {
    super(message);
    this.name = 'CsvFormatError';
    this.code = code;
    this.lines = lines;
  }
}

/** Counts LF bytes in `buf[start, end)` (for turning byte offsets into line numbers). */
export function countLineFeeds(buf: Uint8Array, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) if (buf[i] === 10) n++;
  return n;
}

/**
 * Returns the offset of the first byte in `buf[start, end)` that breaks UTF-8
 * (bad lead byte, bad continuation, overlong form, surrogate, > U+10FFFF),
 * or -1. Only called on the slow path after `isUtf8` said no, to locate it.
 */
export function findInvalidUtf8(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const b = buf[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
      cp = b & 0x0f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
      cp = b & 0x07;
    } else return i;
    if (i + need >= end) return i; // truncated sequence
    for (let k = 1; k <= need; k++) {
      const cb = buf[i + k];
      if ((cb & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cb & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
