import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); playwright-core drives it, it downloads no browser. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless, and quiet on the network: no background requests, component updates, sync or QUIC, so
 * a test's only traffic is to the app on loopback. `--no-sandbox` because tests run as root.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** One browser for a test file: a persistent context on a fresh profile, removed on close. */
export interface TestBrowser {
  context: BrowserContext;
  /** A new tab; its sessionStorage starts empty, so each test logs in afresh. */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Launches Chromium headless with a fresh user-data-dir. Fails with the install command when the
 * binary is missing. Context options (time zone, locale, viewport, permissions) apply to every page.
 */
export async function launchBrowser(options: BrowserContextOptions = {}): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} not found: install it with \`apt-get install -y chromium\` (or run \`sh scripts/ensure-deps.sh --debian\` as root)`,
    );
  const profile = await mkdtemp(join(tmpdir(), 'confgate-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 30_000,
      ...options,
    });
  } catch (e) {
    await rm(profile, { recursive: true, force: true });
    throw e;
  }
  // The persistent context opens with one blank tab; close it so every test gets its own.
  await Promise.all(context.pages().map((p) => p.close()));
  return {
    context,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
