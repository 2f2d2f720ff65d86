/**
 * PdfPrinter backed by a local Chromium through playwright-core: used by the
 * tests, the browser host and the CLI. The Electron app prints with
 * webContents.printToPDF instead (electron/main).
 */
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { PdfPrinter, PrintOptions } from './print-pdf';

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
export function createChromiumPrinter(options: { executablePath?: string } = {}): PdfPrinter {
  let session: Promise<{ browser: Browser; page: Page }> | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  async function open(): Promise<{ browser: Browser; page: Page }> {
    const executablePath = options.executablePath ?? findChromiumExecutable();
    if (!executablePath) {
      throw new PrinterUnavailableError('No Chromium found to print the PDF. Install chromium or set MLWB_CHROMIUM to its path.');
    }
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_PRINT_ARGS });
    const context = await browser.newContext({ offline: true });
    return { browser, page: await context.newPage() };
  }

  async function print(html: string, paper: PrintOptions['paper']): Promise<Uint8Array> {
    if (closed) throw new Error('The printer has been closed.');
    session ??= open();
    const current = session;
    const { page } = await current.catch((error) => {
      if (session === current) session = null; // let a later call retry the launch
      throw error;
    });
    await page.setContent(html, { waitUntil: 'load' });
    // Fonts (CJK especially) must be ready or glyphs may print as fallbacks.
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const pdf = await page.pdf({ format: paper, preferCSSPageSize: true, printBackground: true });
    return new Uint8Array(pdf);
  }

  return {
    printHtmlToPdf(html, printOptions) {
      const job = queue.then(() => print(html, printOptions.paper));
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
