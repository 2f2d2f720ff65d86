/**
 * PdfPrinter backed by a local Chromium through playwright-core: used by the
 * tests, the browser host and the CLI. The Electron app prints with
 * webContents.printToPDF instead (electron/main).
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import type { PdfPrinter } from './print-pdf';

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
 * A printer backed by a local Chromium via playwright-core. The browser is
 * launched on first use and reused for later prints (launching costs far
 * more than printing); each print gets its own fresh context.
 */
export function createChromiumPrinter(options: { executablePath?: string } = {}): PdfPrinter {
  let browser: Promise<Browser> | null = null;
  let closed = false;

  async function launch(): Promise<Browser> {
    const executablePath = options.executablePath ?? findChromiumExecutable();
    if (!executablePath) {
      throw new PrinterUnavailableError('No Chromium found to print the PDF. Install chromium or set MLWB_CHROMIUM to its path.');
    }
    return chromium.launch({ executablePath, args: CHROMIUM_PRINT_ARGS });
  }

  return {
    async printHtmlToPdf(html, printOptions) {
      if (closed) throw new Error('The printer has been closed.');
      browser ??= launch();
      const context = await (await browser).newContext({ offline: true });
      try {
        const page = await context.newPage();
        await page.setContent(html, { waitUntil: 'load' });
        // Fonts (CJK especially) must be ready or glyphs may print as fallbacks.
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        const pdf = await page.pdf({ format: printOptions.paper, preferCSSPageSize: true, printBackground: true });
        return new Uint8Array(pdf);
      } finally {
        await context.close();
      }
    },
    async close() {
      closed = true;
      if (browser) {
        const pending = browser;
        browser = null;
        await (await pending.catch(() => null))?.close();
      }
    },
  };
}
