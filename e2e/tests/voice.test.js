// Citizen voice in the browser, on the demo city, at phone and desktop widths: a
// citizen types a proposal's title, is shown that a near-identical proposal exists,
// and supports it instead of filing; a proposal's whole course, filed to answered;
// the site search finds parking by 초성.
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

// The whole course of a proposal in the browser, once per width: a citizen files one
// through the preview step, another resident supports it, the coordinator assigns it
// to the culture department, its officer answers, and the author reads the answer in
// their notifications. Every page on the way passes axe-core.
const COURSE = { 390: ['resident81', 'resident82'], 1366: ['resident83', 'resident84'] };
for (const width of [390, 1366]) {
  test(`at ${width} px a proposal is filed, supported, assigned and answered, and its author told`, async () => {
    const [authorName, supporterName] = COURSE[width];
    const title = `한빛도서관 평일 야간 열람실 운영 연장 (${width})`;
    const author = await newPage(browser, { viewport: { width, height: 900 } });
    await login(author, `${authorName}@hanbit.example`);
    await author.goto(`${BASE}/hanbit/proposals/new`);
    await author.getByLabel('제목').fill(title);
    await author.getByLabel('분야').selectOption({ label: '문화·관광·체육' });
    await author.getByLabel('내용').fill('시험 기간에 한빛도서관 열람실이 밤 10시에 닫아 학생들이 갈 곳이 없습니다.\n\n평일에는 자정까지 열어 주세요.');
    await author.getByRole('button', { name: '다음: 내용 확인' }).click();
    await author.getByRole('heading', { name: '제안 내용 확인' }).waitFor();
    await checkAccessibility(author, `the preview step at ${width} px`);
    await author.getByRole('button', { name: '제출하기' }).click();
    await author.waitForLoadState('domcontentloaded');
    const path = new URL(author.url()).pathname;
    assert.match(path, /^\/hanbit\/proposals\/\d+$/);
    assert.match(await author.locator('.alert-success').innerText(), /제안이 접수되었습니다/);

    const supporter = await newPage(browser, { viewport: { width, height: 900 } });
    await login(supporter, `${supporterName}@hanbit.example`);
    await supporter.goto(`${BASE}${path}`);
    await supporter.getByRole('button', { name: '공감하기', exact: true }).click();
    await supporter.getByText('이 제안에 공감했습니다.', { exact: true }).waitFor();

    const staff = path.replace('/hanbit/proposals/', '/hanbit/staff/proposals/');
    const coordinator = await newPage(browser, { viewport: { width, height: 900 } });
    await login(coordinator, 'coordinator@hanbit.example');
    await coordinator.goto(`${BASE}${staff}`);
    await coordinator.getByLabel('부서', { exact: true }).selectOption({ label: '문화관광과' });
    await coordinator.getByRole('button', { name: '배정하기' }).click();
    await coordinator.waitForLoadState('domcontentloaded');

    const officer = await newPage(browser, { viewport: { width, height: 900 } });
    await login(officer, 'officer@hanbit.example');
    await officer.goto(`${BASE}${staff}`);
    await checkAccessibility(officer, `the answer form at ${width} px`);
    await officer.getByLabel('처리 결과').selectOption({ label: '수용' });
    await officer.getByLabel('답변 내용').fill('내년 1월부터 시험 기간 평일에는 열람실을 자정까지 엽니다.');
    await officer.getByLabel('담당자', { exact: true }).fill('문담당');
    await officer.getByLabel('연락처').fill('041-360-3190');
    await officer.getByRole('button', { name: '답변 등록' }).click();
    await officer.waitForLoadState('domcontentloaded');

    await author.goto(`${BASE}/notifications`);
    const told = author.locator('main li', { hasText: title });
    assert.ok(await told.count() >= 2, 'told of the assignment and of the answer');
    await author.getByText('부서 답변 등록').first().waitFor();
    await checkAccessibility(author, `notifications at ${width} px`);
    await author.goto(`${BASE}${path}`);
    for (const shown of ['답변완료', '수용', '문화관광과', '문담당', '041-360-3190']) {
      await author.getByText(shown, { exact: true }).first().waitFor();
    }
    for (const page of [author, supporter, coordinator, officer]) await page.context().close();
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
