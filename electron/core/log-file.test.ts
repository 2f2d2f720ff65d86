import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mainLogFile } from './log-file';

describe('main log file', () => {
  it("is logs/main.log in the workspace, whatever the folder's name holds", () => {
    expect(mainLogFile('/home/Jane Doe/MLOps #1 ワーク', path.posix)).toBe('/home/Jane Doe/MLOps #1 ワーク/logs/main.log');
    expect(mainLogFile('C:\\Users\\Jane Doe\\MLOps Workbench\\workspace', path.win32)).toBe(
      'C:\\Users\\Jane Doe\\MLOps Workbench\\workspace\\logs\\main.log',
    );
  });
});
