// Public pages: Korean first, the language switch, keyboard access and axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, checkAccessibility } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PUBLIC_PAGES = ['/', '/hanbit', '/hanbit/departments', '/hanbit/news', '/hanbit/plans', '/hanbit/plans/pledges-8', '/hanbit/plans/pledges-8/commitments', '/hanbit/plans/pledges-8/commitments/1-01', '/hangaram', '/login', '/signup', '/no-such-page'];

test('every public page is Korean and passes axe-core (no serious or critical violation)', async () => {
  const page = await newPage(browser);
  for (const path of PUBLIC_PAGES) {
    const response = await page.goto(`${BASE}${path}`);
    assert.ok(response.status() === 200 || path === '/no-such-page', `${path} answered ${response.status()}`);
    assert.equal(await page.getAttribute('html', 'lang'), 'ko', path);
    assert.ok((await page.title()).endsWith('| 소통'), `${path} has a page title`);
    await checkAccessibility(page, path);
  }
});

test('the English switch changes the language and returns to the same page', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/hanbit/departments`);
  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForURL(`${BASE}/hanbit/departments`);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.locator('h1').innerText(), /Organisation chart of Hanbit City/);
  await checkAccessibility(page, '/hanbit/departments (English)');
  for (const path of PUBLIC_PAGES) {
    await page.goto(`${BASE}${path}`);
    await checkAccessibility(page, `${path} (English)`);
  }
  await page.getByRole('link', { name: '한국어' }).click();
  await page.waitForLoadState('domcontentloaded');
  assert.equal(await page.getAttribute('html', 'lang'), 'ko');
});

test('the skip link is the first thing the keyboard reaches and moves focus to the content', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/hanbit`);
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement.textContent.trim());
  assert.equal(focused, '본문 바로가기');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
});

test('the pledge dashboard shows the published rates with a described chart and its data', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/hanbit`);
  await page.getByRole('link', { name: '공약·과제' }).first().click();
  await page.getByRole('link', { name: '민선8기 시장 공약' }).click();
  await page.waitForURL(`${BASE}/hanbit/plans/pledges-8`);
  const main = await page.locator('main').innerText();
  // The workflow test may publish 2026-Q3 first; either way a quarter is shown.
  assert.match(main, /2026년 [23]분기 공개 기준/);
  assert.match(main, /이행률\s+\d+(\.\d)?%/);
  assert.match(main, /목표달성률\s+\d+(\.\d)?%/);
  const chart = page.getByRole('img', { name: /추진 상태 분포/ });
  assert.equal(await chart.count(), 1, 'the status chart is an image with an accessible name');
  assert.match(await page.locator('#status-chart-desc').textContent(), /전체 100건: 완료 \d+/);
  assert.ok(await page.locator('code.hash').count() >= 4, 'one hash per published quarter');
  await checkAccessibility(page, 'plan dashboard');
});

test('at 390 px no public page scrolls sideways, wide tables become cards, and it passes axe-core', async () => {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 } });
  for (const path of PUBLIC_PAGES) {
    await page.goto(`${BASE}${path}`);
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
    }));
    assert.ok(scrollWidth <= innerWidth, `${path} scrolls sideways at 390 px: ${scrollWidth} > ${innerWidth}`);
    await checkAccessibility(page, `${path} at 390 px`);
  }
  // One commitment's history: each published quarter is a card whose cells name their column.
  await page.goto(`${BASE}/hanbit/plans/pledges-8/commitments/1-01`);
  const history = page.locator('table.cards').first();
  assert.equal(await history.locator('thead').evaluate((el) => getComputedStyle(el).position), 'absolute');
  assert.ok(await history.locator('td[data-label="추진 상태"]').count() >= 4, 'labelled cells, one per quarter');
  assert.equal(await history.locator('tr').nth(1).evaluate((el) => getComputedStyle(el).display), 'block');
});
