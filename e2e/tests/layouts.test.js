// Every page as a phone (390×844) and a desktop (1366×900) show it, as a citizen, an
// officer, a coordinator and an administrator: axe-core clean, nothing scrolls
// sideways, and no text is rendered smaller than 12 px (SVG text measured as drawn).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, checkAccessibility, login } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const VIEWPORTS = [{ width: 390, height: 844 }, { width: 1366, height: 900 }];

const PAGES = {
  anonymous: ['/', '/hanbit', '/hanbit/news', '/hanbit/departments', '/hanbit/plans', '/hanbit/plans/pledges-8',
    '/hanbit/plans/pledges-8?period=2025-Q3', '/hanbit/plans/pledges-8/commitments',
    `/hanbit/plans/pledges-8/commitments?q=${encodeURIComponent('ㅊㅇ')}`, '/hanbit/plans/pledges-8/commitments/1-01',
    '/hanbit/plans/pledges-8/commitments/1-06', '/hanbit/policies/privacy', '/hanbit/policies/terms',
    '/hanbit/policies/copyright', '/hangaram', '/login', '/signup', '/hanbit/proposals',
    '/hanbit/proposals?state=answered&sort=supports', '/hanbit/proposals/2', '/hanbit/proposals/13', '/hanbit/notices',
    '/hanbit/notices?category=event', '/hanbit/notices/20', `/search?q=${encodeURIComponent('공원 ㅈㅊ')}`,
    `/hanbit/search?q=${encodeURIComponent('주차')}&kind=proposal`, '/search'],
  'citizen@hanbit.example': ['/account', '/notifications', '/hanbit/proposals/new', '/hanbit/proposals/1'],
  'officer@hanbit.example': ['/hanbit/staff', '/hanbit/staff/plans/pledges-8', '/hanbit/staff/plans/pledges-8/reports/3-05',
    '/hanbit/staff/proposals', '/hanbit/staff/proposals/25'],
  'coordinator@hanbit.example': ['/hanbit/staff', '/hanbit/staff/plans/pledges-8', '/hanbit/staff/plans/pledges-8?state=submitted',
    '/hanbit/staff/plans/pledges-8/reports/3-03', '/hanbit/staff/plans/pledges-8/import',
    '/hanbit/staff/plans/pledges-8/commitments/3-01/edit', '/hanbit/staff/proposals', '/hanbit/staff/proposals?view=overdue',
    '/hanbit/staff/proposals/1', '/hanbit/staff/proposals/rules', '/hanbit/staff/moderation', '/hanbit/staff/notices',
    '/hanbit/staff/notices/1'],
  'admin@hanbit.example': ['/hanbit/admin/site', '/hanbit/admin/members', '/hanbit/admin/departments', '/hanbit/admin/audit',
    '/hanbit/admin/webhooks'],
};

/** Text drawn smaller than 12 px: (element, text, size) of each visible text node. */
function smallText() {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || !node.textContent.trim()) continue;
    const rect = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (rect.width <= 1 || rect.height <= 1 || style.visibility === 'hidden') continue;
    let size = parseFloat(style.fontSize);
    if (el instanceof SVGElement) {
      const m = el.getScreenCTM();
      if (m) size *= Math.hypot(m.a, m.b);
    }
    if (size < 11.95) small.push(`${el.tagName.toLowerCase()} "${node.textContent.trim().slice(0, 24)}" ${size.toFixed(1)}px`);
  }
  return [...new Set(small)];
}

for (const [who, paths] of Object.entries(PAGES)) {
  test(`as ${who}: every page at 390 and 1366 px`, async () => {
    for (const viewport of VIEWPORTS) {
      const page = await newPage(browser, { viewport });
      if (who !== 'anonymous') await login(page, who);
      for (const path of paths) {
        const label = `${path} at ${viewport.width} px as ${who}`;
        const response = await page.goto(`${BASE}${path}`);
        assert.equal(response.status(), 200, label);
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
        }));
        assert.ok(scrollWidth <= innerWidth, `${label} scrolls sideways: ${scrollWidth} > ${innerWidth}`);
        assert.deepEqual(await page.evaluate(smallText), [], `${label}: text under 12 px`);
        await checkAccessibility(page, label);
      }
      await page.context().close();
    }
  });
}

test('at 390 px the body menu folds behind a button that opens it', async () => {
  const page = await newPage(browser, { viewport: VIEWPORTS[0] });
  await page.goto(`${BASE}/hanbit`);
  const button = page.getByRole('button', { name: '메뉴' });
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.locator('#body-menu').isVisible(), false, 'folded');
  await button.click();
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  await page.locator('#body-menu').getByRole('link', { name: '새 소식' }).click();
  await page.waitForURL(`${BASE}/hanbit/news`);
});

test('on a phone a citizen finds a pledge by its initials and reads this quarter first', async () => {
  const page = await newPage(browser, { viewport: VIEWPORTS[0] });
  await page.goto(`${BASE}/hanbit`);
  await page.getByLabel('공약·과제 찾기').first().fill('ㅊㅇ');
  await page.getByRole('button', { name: '검색' }).first().click();
  await page.getByRole('link', { name: '청년 창업 지원센터 설립' }).click();
  const main = await page.locator('main').innerText();
  assert.match(main, /2026년 2분기 추진 실적과 계획/);
  assert.ok(main.indexOf('추진 실적') < main.indexOf('기간별 추진 기록'), 'this quarter comes before the history');
  assert.match(main, /사진과 자료/);
  assert.equal(await page.locator('code.hash').first().isVisible(), false, 'hashes stay folded');
});
