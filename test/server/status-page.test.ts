// fs serve's status page in a real headless Chromium (Debian's chromium, driven by puppeteer-core):
// a rollout started over the API appears on the open page, progresses and completes there without
// a reload; the page without JavaScript shows the same services and outcomes; a per-rollout page
// with its timeline. A screenshot is saved as a test artefact (reports/status-page.png).
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterEach, describe, expect, it } from 'vitest';
import { type ServeHarness, serveHarness, TOKEN } from './serve-harness.js';

const CHROMIUM = process.env.FS_CHROMIUM ?? '/usr/bin/chromium';

function hasChromium(): boolean {
  try {
    execFileSync(CHROMIUM, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI === 'true')
      throw new Error(`${CHROMIUM} is required under CI=true (apt-get install chromium)`);
    console.warn(
      `skipped: no ${CHROMIUM} (apt-get install --no-install-recommends chromium, or set FS_CHROMIUM)`,
    );
    return false;
  }
}

/** In the page: record every change of the rollout rows, and mark the document (a reload loses the mark). */
const RECORD_ROWS = `
  window.mark = 42;
  window.seen = [];
  new MutationObserver(() => {
    for (const row of document.querySelectorAll('tr[id^="r-"]')) {
      const table = row.closest('table')?.id;
      const progress = row.querySelector('[data-field="progress"]')?.textContent ?? '';
      window.seen.push(row.id + '|' + table + '|' + row.getAttribute('data-state') + '|' + progress.trim());
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
`;

let h: ServeHarness | undefined;
let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
  await h?.close();
  h = undefined;
});

describe.runIf(hasChromium())('fs serve: the live status page in Chromium', () => {
  it('shows a rollout started over the API appear, progress and complete without a reload', async () => {
    h = await serveHarness([
      { name: 'web', image: 'me/web', version: '1.0', count: 3 },
      { name: 'api', image: 'me/api', version: '2.0', count: 1 },
    ]);
    await h.call('POST', '/v1/services/api/rollouts?wait=true', { body: {} });
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage();
    await page.setViewport({ width: 390, height: 844, isMobile: true }); // a phone
    await page.setExtraHTTPHeaders({ authorization: `Bearer ${TOKEN}` });
    await page.goto(`${h.base}/`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('html[data-live="on"]');
    expect(await page.$eval('#services', (t) => t.textContent)).toMatch(/api.*2\.0.*1 running/s);
    await page.evaluate(RECORD_ROWS);
    // start a rollout over the API while the page is open
    const started = await h.call('POST', '/v1/services/web/rollouts', { body: { version: '1.1' } });
    expect(started.status).toBe(202);
    const id = started.json.id as string;
    await page.waitForFunction(
      `document.querySelector('#recent tr#r-${id}')?.textContent?.includes('succeeded')`,
      {
        timeout: 60_000,
      },
    );
    const { seen, mark } = (await page.evaluate('({ seen: window.seen, mark: window.mark })')) as {
      seen: string[];
      mark: number;
    };
    expect(mark).toBe(42); // no reload
    const mine = seen.filter((s) => s.startsWith(`r-${id}|`)).map((s) => s.slice(`r-${id}|`.length));
    expect(mine.some((s) => s.startsWith('inflight|running'))).toBe(true); // appeared in flight
    const progress = mine
      .map((s) => /\|(\d+)\/(\d+)$/.exec(s))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]));
    expect(progress.length).toBeGreaterThan(0); // progressed (steps finished / total)
    expect(Math.max(...progress)).toBe(4); // template + 3 instances
    expect(mine.at(-1)).toMatch(/^recent\|finished\|4\/4$/);
    // and the services table follows: web now runs 1.1 on 3 instances (still no reload)
    await page.waitForFunction(
      "/web\\s*1\\.1\\s*3 running/.test(document.getElementById('services').textContent)",
      {
        timeout: 60_000,
      },
    );
    expect(await page.evaluate('window.mark')).toBe(42);

    const dir = join(process.cwd(), 'reports');
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, 'status-page.png'), fullPage: true });

    // the rollout's own page: its timeline, server-rendered
    await page.goto(`${h.base}/rollouts/${id}`, { waitUntil: 'domcontentloaded' });
    const timeline = await page.$eval('#timeline', (t) => t.textContent ?? '');
    expect(timeline).toMatch(/plan: 4 steps, 3 instances/);
    expect(timeline).toMatch(/finished: create web@3\.service/);
    expect(await page.$eval('#outcome', (t) => t.textContent)).toBe('succeeded');

    // without JavaScript: the same services and the outcome, as of the load
    await page.setJavaScriptEnabled(false);
    await page.goto(`${h.base}/`, { waitUntil: 'domcontentloaded' });
    expect(await page.$eval('#services', (t) => t.textContent)).toMatch(/web.*1\.1.*3 running/s);
    expect(await page.$eval(`#recent tr#r-${id}`, (t) => t.textContent)).toMatch(/succeeded/);
  });
});
