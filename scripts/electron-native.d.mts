// Types for scripts/electron-native.mjs (imported by electron/main/app-paths.ts and the tests).

/** What an Electron build of better-sqlite3 was made for. */
export interface NativeTarget {
  electronVersion: string;
  abi: string | number;
  betterSqlite3Version: string;
  platform: string;
  arch: string;
}

export const NATIVE_BINDING_SEGMENTS: readonly string[];
export const STAMP_SEGMENTS: readonly string[];
export function pathFor(platform: string): typeof import('node:path').posix;
export function rootFromScriptUrl(scriptUrl: string | URL, platform?: string): string;
export function nativePaths(root: string, platform?: string): { outDir: string; outFile: string; stampFile: string };
export function makeStamp(target: NativeTarget): string;
export function stampIsCurrent(input: { binaryExists: boolean; stampText: string | undefined; target: NativeTarget }): boolean;
export function toolchainHint(platform: string): string;
export function buildFailureMessage(input: { platform: string; electronVersion: string; detail?: string }): string;
export function electronMissingMessage(root: string, platform?: string): string;
export function abiCheckResult(input: { status: number | null; stdout?: string; stderr?: string; expectedAbi: string | number }): {
  ok: boolean;
  message: string;
};
