/**
 * A real browser for page tests: Debian's Chromium driven by playwright-core (no browser
 * download). Set CUSTODIAN_CHROMIUM to use another binary.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.CUSTODIAN_CHROMIUM ?? '/usr/bin/chromium';

export function browserSkip(): string | false {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.CI) throw new Error(`Chromium is required for page tests in CI but ${CHROMIUM} does not exist`);
  process.stderr.write(`\n!! ${CHROMIUM} not found: browser tests are SKIPPED (apt-get install chromium)\n`);
  return `no browser at ${CHROMIUM}`;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
}
