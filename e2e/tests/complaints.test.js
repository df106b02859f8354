// Complaints in the browser, on the demo city, at phone and desktop widths: the demo
// citizen files the matter they filed last month, is shown that complaint and its
// answer before submitting, files anyway, and finds the new one on the repeated-
// complaints board linked to the first; the coordinator's inbox shows each case's
// D-day as the law counts it, overdue ones in red. Every page passes axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, checkAccessibility, login } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function noSidewaysScroll(page, label) {
  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  assert.ok(fits, `no sideways scroll on ${label}`);
}

for (const width of [390, 1366]) {
  test(`at ${width} px a citizen is shown last month's answer, files anyway, and it lands on the repeated board`, async () => {
    const page = await newPage(browser, { viewport: { width, height: 900 } });
    await login(page, 'citizen@hanbit.example');
    await page.goto(`${BASE}/hanbit/complaints/new`);
    await checkAccessibility(page, `the complaint form at ${width} px`);
    await noSidewaysScroll(page, 'the complaint form');
    const title = `행정복지센터 앞 횡단보도 신호가 아직 짧습니다 (${width})`;
    await page.getByLabel('분야').selectOption({ label: '버스·교통 신호 (건의민원)' });
    await page.getByLabel('제목').fill(title);
    await page.getByLabel('내용').fill('한빛동 행정복지센터 앞 횡단보도의 보행 신호가 짧아 어르신들이 건너는 도중에 신호가 바뀝니다. 보행 신호 시간을 더 늘려 주세요.');
    await page.getByRole('button', { name: '신청 내용 확인' }).click();
    await page.getByRole('heading', { name: '같은 내용으로 신청하신 민원이 있습니다' }).waitFor();
    await page.getByText('20초에서 28초로 늘렸습니다', { exact: false }).first().waitFor();
    await checkAccessibility(page, `the preview with the earlier complaint at ${width} px`);
    await noSidewaysScroll(page, 'the preview');
    await page.getByRole('button', { name: '그래도 새로 신청하기' }).click();
    await page.waitForLoadState('domcontentloaded');
    assert.match(page.url(), /\/hanbit\/complaints\/\d+\?done=filed$/);
    const id = new URL(page.url()).pathname.split('/').pop();
    assert.match(await page.locator('.alert-success').innerText(), /민원이 접수되었습니다/);
    assert.match(await page.locator('.d-day').first().innerText(), /^D-\d+$/);
    await checkAccessibility(page, `the filed complaint at ${width} px`);
    // A photo of the crossing goes with it, as a file of the complaint.
    await page.getByLabel('첨부할 파일').setInputFiles({ name: '횡단보도.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 crossing') });
    await page.getByRole('button', { name: '파일 첨부' }).click();
    await page.waitForLoadState('domcontentloaded');
    await page.getByRole('link', { name: '횡단보도.pdf' }).waitFor();
    await checkAccessibility(page, `the complaint with its file at ${width} px`);

    await page.goto(`${BASE}/hanbit/complaints/repeated`);
    const matter = page.locator('li, article, section').filter({ hasText: '행정복지센터 앞 횡단보도 신호가 짧습니다' })
      .filter({ has: page.locator(`a[href="/hanbit/complaints/${id}"]`) });
    await matter.first().waitFor();
    await checkAccessibility(page, `the repeated-complaints board at ${width} px`);
    await noSidewaysScroll(page, 'the repeated-complaints board');
  });

  test(`at ${width} px the coordinator's inbox shows each case's D-day, overdue ones in red`, async () => {
    const page = await newPage(browser, { viewport: { width, height: 900 } });
    await login(page, 'coordinator@hanbit.example');
    await page.goto(`${BASE}/hanbit/staff/complaints?view=overdue`);
    const overdue = page.locator('.d-day.overdue');
    assert.ok(await overdue.count() > 0, 'overdue cases are listed');
    assert.match(await overdue.first().innerText(), /^\d+일 지남$/);
    const red = await overdue.first().evaluate((el) => getComputedStyle(el).color);
    assert.notEqual(red, 'rgb(0, 0, 0)', 'overdue reads in the danger colour');
    await page.getByRole('table').waitFor();
    await checkAccessibility(page, `the inbox at ${width} px`);
    await noSidewaysScroll(page, 'the inbox');
    const first = page.locator('.complaint-card h3 a').first();
    await first.click();
    await page.waitForLoadState('domcontentloaded');
    await page.getByRole('heading', { name: '처리 경과' }).waitFor();
    await checkAccessibility(page, `a complaint in the back office at ${width} px`);
    await noSidewaysScroll(page, 'a complaint in the back office');
  });
}

for (const width of [390, 1366]) {
  test(`at ${width} px an administrator issues an Open311 key, shown once`, async () => {
    const page = await newPage(browser, { viewport: { width, height: 900 } });
    await login(page, 'admin@hanbit.example');
    await page.goto(`${BASE}/hanbit/admin/open311`);
    await checkAccessibility(page, `the Open311 keys at ${width} px`);
    await page.getByLabel('연계 시스템 이름').fill(`민원 중계 앱 ${width}`);
    await page.getByRole('button', { name: '키 발급' }).click();
    await page.waitForLoadState('domcontentloaded');
    const key = (await page.locator('.alert-success code.hash').innerText()).trim();
    assert.match(key, /^[0-9a-f]{64}$/);
    await checkAccessibility(page, `the issued key at ${width} px`);
    await noSidewaysScroll(page, 'the issued key');
    await page.goto(`${BASE}/hanbit/admin/open311`);
    assert.ok(!(await page.content()).includes(key), 'the key is not shown again');
    await page.close();
  });
}

for (const width of [390, 1366]) {
  test(`at ${width} px the coordinator answers from a template and sees the linking, merging and transfer forms`, async () => {
    const page = await newPage(browser, { viewport: { width, height: 900 } });
    await login(page, 'coordinator@hanbit.example');
    await page.goto(`${BASE}/hanbit/staff/complaints/templates`);
    await page.getByRole('heading', { name: '가로등·보안등 고장' }).waitFor();
    await checkAccessibility(page, `the answer templates at ${width} px`);
    await noSidewaysScroll(page, 'the answer templates');
    await page.goto(`${BASE}/hanbit/staff/complaints?view=in_progress`);
    await page.locator('.complaint-card h3 a').first().click();
    await page.waitForLoadState('domcontentloaded');
    await page.getByLabel('답변 서식').selectOption({ label: '가로등·보안등 고장' });
    await page.getByRole('button', { name: '서식 불러오기' }).click();
    await page.waitForLoadState('domcontentloaded');
    assert.match(await page.getByLabel('답변 내용', { exact: true }).inputValue(), /유지보수 업체를 통해 근무일 3일 안에 교체하겠습니다/);
    await page.getByText('반복민원 연결 · 다수인 병합 · 다른 기관 이송').click();
    for (const heading of ['반복민원 연결', '다수인·중복민원 병합', '다른 기관으로 이송']) {
      await page.getByRole('heading', { name: heading }).waitFor();
    }
    await checkAccessibility(page, `a complaint with a template loaded at ${width} px`);
    await noSidewaysScroll(page, 'a complaint with a template loaded');
    await page.close();
  });
}
