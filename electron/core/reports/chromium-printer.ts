/**
 * PdfPrinter backed by a local Chromium through playwright-core: used by the
 * tests, the browser host and the CLI. The Electron app prints with
 * webContents.printToPDF instead (electron/main).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { pdfPrintOptions, WAIT_FOR_FONTS_SCRIPT, type PdfOptions, type PdfPrinter } from './print-pdf';

/**
 * playwright-core is a development dependency: loaded at run time (not
 * bundled, never loaded by the Electron app, which prints with printToPDF).
 */
function loadPlaywright(): typeof import('playwright-core') {
  return createRequire(__filename)('playwright-core') as typeof import('playwright-core');
}

/** A Chromium-backed printer and the way to release its browser. */
export interface ChromiumPrinter {
  printPdf: PdfPrinter;
  /** Closes the browser; later prints fail. */
  close(): Promise<void>;
}

/** Chromium flags for headless printing: no sandbox (containers, CI), no network chatter, no GPU. */
export const CHROMIUM_PRINT_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Where to look for a Chromium when none is configured (Debian/Ubuntu, Fedora, macOS). */
const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** Finds a local Chromium: $MLWB_CHROMIUM, then well-known paths. */
export function findChromiumExecutable(env: NodeJS.ProcessEnv = process.env): string | null {
  const configured = env.MLWB_CHROMIUM;
  if (configured) return fs.existsSync(configured) ? configured : null;
  return CHROMIUM_CANDIDATES.find((candidate) => fs.existsSync(candidate)) ?? null;
}

/** Thrown when no browser is available to print with. */
export class PrinterUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrinterUnavailableError';
  }
}

/**
 * A printer backed by a local Chromium via playwright-core. The browser and
 * one offline page are created on first use and reused (launching and
 * opening pages cost more than printing); prints are serialised on that
 * page, so concurrent callers simply queue.
 */
export function createChromiumPrinter(options: { executablePath?: string } = {}): ChromiumPrinter {
  let session: Promise<{ browser: Browser; page: Page }> | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  async function open(): Promise<{ browser: Browser; page: Page }> {
    const executablePath = options.executablePath ?? findChromiumExecutable();
    if (!executablePath) {
      throw new PrinterUnavailableError('No Chromium found to print the PDF. Install chromium or set MLWB_CHROMIUM to its path.');
    }
    const browser = await loadPlaywright().chromium.launch({ executablePath, args: CHROMIUM_PRINT_ARGS });
    const context = await browser.newContext({ offline: true });
    return { browser, page: await context.newPage() };
  }

  async function print(html: string, options: PdfOptions): Promise<Buffer> {
    if (closed) throw new Error('The printer has been closed.');
    session ??= open();
    const current = session;
    const { page } = await current.catch((error) => {
      if (session === current) session = null; // let a later call retry the launch
      throw error;
    });
    await page.setContent(html, { waitUntil: 'load' });
    await page.evaluate(WAIT_FOR_FONTS_SCRIPT);
    const { pageSize, ...settings } = pdfPrintOptions(options);
    return page.pdf({ format: pageSize, ...settings });
  }

  return {
    printPdf(html, printOptions) {
      const job = queue.then(() => print(html, printOptions));
      queue = job.catch(() => undefined);
      return job;
    },
    async close() {
      closed = true;
      await queue;
      if (session) {
        const pending = session;
        session = null;
        await (await pending.catch(() => null))?.browser.close();
      }
    },
  };
}
