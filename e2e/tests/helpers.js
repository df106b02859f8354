// Shared set-up of the browser tests: Debian's Chromium through playwright-core, a
// server URL from SOTONG_E2E_BASE_URL (scripts/test.sh starts `sotong demo`), and an
// axe-core check that fails on any serious or critical WCAG 2.1 A/AA violation.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const BASE = process.env.SOTONG_E2E_BASE_URL;
if (!BASE) throw new Error('SOTONG_E2E_BASE_URL is not set: run scripts/test.sh');
export const DEMO_PASSWORD = 'sotong-demo-2026';

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// A fresh browser context: no cookies, Korean locale. bypassCSP lets the test inject
// axe-core; the site's own CSP forbids inline scripts.
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ locale: 'ko-KR', bypassCSP: true, ...options });
  return context.newPage();
}

export async function checkAccessibility(page, label) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(report, [], `axe-core violations on ${label}`);
  return result;
}

export async function login(page, email, password = DEMO_PASSWORD) {
  await page.goto(`${BASE}/login`);
  await page.getByLabel('이메일').fill(email);
  await page.getByLabel('비밀번호').fill(password);
  await page.getByRole('button', { name: '로그인' }).click();
  await page.waitForLoadState('domcontentloaded');
}

// The screenshots of the officials' guide (docs/GUIDE.md): taken during the workflow
// test when SOTONG_GUIDE_SHOTS names a folder (scripts/guide-screenshots.sh).
export async function guideShot(page, name) {
  const dir = process.env.SOTONG_GUIDE_SHOTS;
  if (!dir) return;
  await page.screenshot({ path: `${dir}/${name}.jpg`, type: 'jpeg', quality: 70 });
}
