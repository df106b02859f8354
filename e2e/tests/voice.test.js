// Citizen voice in the browser, on the demo city, at phone and desktop widths: a
// citizen types a proposal's title, is shown that a near-identical proposal exists,
// and supports it instead of filing; the site search finds parking by 초성.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, checkAccessibility, login } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Two residents who have not supported the demo's parking proposal.
const RESIDENTS = { 390: 'resident85@hanbit.example', 1366: 'resident86@hanbit.example' };

for (const width of [390, 1366]) {
  test(`at ${width} px a citizen typing a title sees a near-identical proposal and supports it instead`, async () => {
    const page = await newPage(browser, { viewport: { width, height: 900 } });
    await login(page, RESIDENTS[width]);
    await page.goto(`${BASE}/hanbit/proposals/new`);
    await page.getByLabel('제목').fill('한빛공원 주차장을 늘려 주세요');
    const hint = page.locator('#similar-hint');
    await hint.getByText('비슷한 제안이 이미 있습니다').waitFor({ timeout: 5000 });
    const original = hint.locator('li', { hasText: '한빛공원 주변 공영주차장 확충' });
    await original.waitFor();
    await checkAccessibility(page, `the proposal form with the hint at ${width} px`);
    const before = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    assert.ok(before, 'no sideways scroll with the hint');
    await original.getByRole('button', { name: '새로 제안하지 않고 공감하기' }).click();
    await page.waitForLoadState('domcontentloaded');
    assert.match(page.url(), /\/hanbit\/proposals\/\d+\?done=supported$/);
    assert.match(await page.locator('.alert-success').innerText(), /^공감했습니다\./);
    await page.getByText('이 제안에 공감했습니다.', { exact: true }).waitFor();
    assert.match(await page.locator('h1').innerText(), /한빛공원 주변 공영주차장 확충/);
  });
}

test('the site search finds parking by words and initials, with snippets', async () => {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 } });
  await page.goto(`${BASE}/hanbit`);
  await page.getByRole('link', { name: '통합검색' }).click();
  await page.getByLabel('검색어').fill('공원 ㅈㅊ');
  await page.getByRole('button', { name: '검색' }).click();
  await page.waitForLoadState('domcontentloaded');
  const results = page.locator('.search-results > li');
  assert.ok(await results.count() >= 5, 'results');
  const kinds = await page.locator('.search-results .badge').allInnerTexts();
  for (const kind of ['공약·과제', '정책제안', '시정알림']) assert.ok(kinds.includes(kind), `a ${kind} result`);
  assert.ok(await page.locator('.snippet mark').count() > 0, 'highlighted snippets');
  await checkAccessibility(page, 'search results');
});
