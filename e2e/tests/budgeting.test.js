// Participatory budgeting in the browser, on the demo city, at phone and desktop
// widths: a resident verifies with one of the voting codes `sotong demo` prints, is
// told what a ballot that breaks the rules breaks, votes in the city-wide pot and in
// their 동's, gets a receipt, and cannot vote twice; then the coordinator closes the
// vote and publishes the results, and the resident finds their ballot counted and
// reads why each project won or lost. Every page passes axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { BASE, launch, newPage, checkAccessibility, login } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// The demo's codes, made as `demo::budgeting::voting_codes` makes them.
function demoCode(n) {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const digest = createHash('sha256').update(`hanbit-demo-voting-code-${n}`).digest('hex');
  const chars = [];
  for (let i = 0; i < 12; i += 1) chars.push(alphabet[parseInt(digest.slice(i * 2, i * 2 + 2), 16) % 32]);
  return [0, 4, 8].map((at) => chars.slice(at, at + 4).join('')).join('-');
}

async function noSidewaysScroll(page, label) {
  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  assert.ok(fits, `no sideways scroll on ${label}`);
}

const receipts = {};
// Codes 0 and 4 were printed for 중앙동.
const voters = { 390: ['resident01@hanbit.example', 0], 1366: ['resident02@hanbit.example', 4] };

for (const width of [390, 1366]) {
  test(`at ${width} px a resident verifies with a voting code and votes in two pots`, async () => {
    const [email, code] = voters[width];
    const page = await newPage(browser, { viewport: { width, height: 900 } });
    await login(page, email);
    await page.goto(`${BASE}/hanbit/budgeting/2027`);
    await page.getByRole('heading', { name: '2027년 주민참여예산' }).waitFor();
    await checkAccessibility(page, `the voting process at ${width} px`);
    await noSidewaysScroll(page, 'the voting process');
    await page.getByRole('link', { name: '투표하기' }).click();
    await page.getByText('먼저 이 지역 주민임을 확인해야 합니다', { exact: false }).waitFor();
    await page.getByRole('link', { name: '주민 확인하기' }).click();
    await checkAccessibility(page, `resident verification at ${width} px`);
    await page.getByRole('textbox', { name: '투표 코드' }).fill(demoCode(code).toLowerCase());
    await page.getByRole('button', { name: '코드로 확인하기' }).click();
    await page.waitForLoadState('domcontentloaded');
    assert.match(page.url(), /\/hanbit\/budgeting\/2027\/ballot$/);

    const pots = page.locator('fieldset.ballot-pot');
    assert.equal(await pots.count(), 2, 'the city-wide pot and 중앙동');
    assert.match(await pots.nth(1).locator('legend').innerText(), /중앙동/);
    await checkAccessibility(page, `the ballot at ${width} px`);
    await noSidewaysScroll(page, 'the ballot');
    // Four city-wide picks where three are allowed: refused, said why, picks kept.
    const city = pots.nth(0).locator('input[type="checkbox"]');
    for (const i of [0, 3, 4, 5]) await city.nth(i).check();
    await page.getByRole('button', { name: '투표 제출하기' }).click();
    await page.waitForLoadState('domcontentloaded');
    await page.getByText('시 전체: 최대 3개까지 고를 수 있습니다. 지금 4개를 골랐습니다.').first().waitFor();
    assert.ok(await page.locator('fieldset.ballot-pot').nth(0).locator('input[type="checkbox"]').nth(5).isChecked(), 'picks kept');
    await checkAccessibility(page, `the refused ballot at ${width} px`);
    await page.locator('fieldset.ballot-pot').nth(0).locator('input[type="checkbox"]').nth(5).uncheck();
    await page.locator('fieldset.ballot-pot').nth(1).locator('input[type="checkbox"]').nth(1).check();
    await page.getByRole('button', { name: '투표 제출하기' }).click();
    await page.waitForLoadState('domcontentloaded');
    await page.getByRole('heading', { name: '투표가 접수되었습니다' }).waitFor();
    const receipt = (await page.locator('.receipt-code code').innerText()).trim();
    assert.match(receipt, /^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    receipts[width] = [email, receipt];
    await checkAccessibility(page, `the receipt at ${width} px`);
    await noSidewaysScroll(page, 'the receipt');

    await page.goto(`${BASE}/hanbit/budgeting/2027/ballot`);
    await page.getByText('이미 투표하셨습니다', { exact: false }).waitFor();
  });
}

// The back office while the vote runs: the coordinator sets up next year's process
// (a wrong form is refused, its fields named), appoints a committee member, who
// scores; at the polling station an officer checks a resident in and keys her sheet.
const people = { 390: ['이현장', '1950-02-03', '010-3456-7890'], 1366: ['박투표', '1962-11-20', '010-9876-5432'] };
for (const width of [390, 1366]) {
  test(`at ${width} px the coordinator sets up a process and the polling station takes a paper ballot`, async () => {
    const staff = await newPage(browser, { viewport: { width, height: 900 } });
    await login(staff, 'coordinator@hanbit.example');
    await staff.goto(`${BASE}/hanbit/staff/budgeting`);
    await staff.getByRole('link', { name: '새 주민참여예산 만들기' }).click();
    await staff.getByRole('heading', { name: '새 주민참여예산 만들기' }).waitFor();
    await checkAccessibility(staff, `the new process form at ${width} px`);
    await noSidewaysScroll(staff, 'the new process form');
    await staff.getByRole('textbox', { name: '제목' }).fill(`2028년 주민참여예산 (${width})`);
    await staff.getByRole('textbox', { name: '주소용 영문 이름(slug)' }).fill(`2028-${width}`);
    await staff.getByRole('textbox', { name: '위원회 심사 비율' }).fill('40');
    await staff.getByRole('button', { name: '만들기' }).click();
    await staff.waitForLoadState('domcontentloaded');
    await staff.locator('.error-summary').getByText('합이 100이어야 합니다', { exact: false }).waitFor();
    await checkAccessibility(staff, `the refused new process form at ${width} px`);
    await staff.getByRole('textbox', { name: '위원회 심사 비율' }).fill('0');
    await staff.getByRole('button', { name: '만들기' }).click();
    await staff.getByText('주민참여예산을 만들었습니다.', { exact: false }).waitFor();
    await staff.getByText('예산 분야 추가').first().click();
    await staff.getByRole('textbox', { name: '이름', exact: true }).first().fill('시 전체');
    await staff.getByRole('textbox', { name: '예산', exact: true }).fill('삼억');
    await staff.getByRole('button', { name: '예산 분야 추가' }).click();
    await staff.waitForLoadState('domcontentloaded');
    await staff.locator('.error-summary').getByText('금액으로 읽을 수 없습니다', { exact: false }).waitFor();
    // Every setup form opened, so axe sees them all.
    await staff.evaluate(() => document.querySelectorAll('details.setup-form').forEach((d) => { d.open = true; }));
    await checkAccessibility(staff, `the process set-up page at ${width} px`);
    await noSidewaysScroll(staff, 'the process set-up page');
    await staff.getByRole('textbox', { name: '예산', exact: true }).fill('3억 원');
    await staff.getByRole('button', { name: '예산 분야 추가' }).click();
    await staff.getByText('예산 분야를 추가했습니다.').waitFor();

    // The committee member appointed for 2027 scores its ballot.
    await staff.goto(`${BASE}/hanbit/staff/budgeting/2027`);
    await staff.getByText('위원 위촉·해촉').click();
    await staff.getByRole('textbox', { name: '이메일' }).fill('committee1@hanbit.example');
    await staff.getByRole('button', { name: '저장' }).click();
    await staff.getByText('위원을 위촉했습니다.').waitFor();
    const member = await newPage(browser, { viewport: { width, height: 900 } });
    await login(member, 'committee1@hanbit.example');
    await member.goto(`${BASE}/hanbit/budgeting/2027/committee`);
    await member.getByRole('heading', { name: '위원회 심사 점수' }).waitFor();
    const scores = member.locator('input.score-input');
    await scores.nth(0).fill('150');
    await member.getByRole('button', { name: '점수 저장' }).click();
    await member.locator('.error-summary').getByText('점수가 허용 범위를 벗어났습니다.').waitFor();
    await checkAccessibility(member, `the refused scoring sheet at ${width} px`);
    await noSidewaysScroll(member, 'the scoring sheet');
    await member.locator('input.score-input').nth(0).fill('85');
    await member.locator('input.score-input').nth(1).fill('70');
    await member.getByRole('button', { name: '점수 저장' }).click();
    await member.getByText('심사 점수를 저장했습니다.').waitFor();

    // The polling station: check-in, then the first of two entries of the sheet.
    await staff.goto(`${BASE}/hanbit/staff/budgeting/2027`);
    await staff.getByRole('link', { name: '중앙동 행정복지센터' }).click();
    await staff.getByRole('heading', { name: '중앙동 행정복지센터' }).waitFor();
    await checkAccessibility(staff, `the polling station at ${width} px`);
    await noSidewaysScroll(staff, 'the polling station');
    const [name, born, phone] = people[width];
    await staff.getByRole('textbox', { name: '이름', exact: true }).fill(name);
    await staff.getByRole('textbox', { name: '생년월일' }).fill(born);
    await staff.getByRole('textbox', { name: '휴대전화' }).fill(phone);
    await staff.getByRole('combobox', { name: '참여 자격' }).selectOption('resident');
    await staff.getByRole('button', { name: '확인하고 투표지 주기' }).click();
    await staff.getByText('본인 확인을 마쳤습니다.', { exact: false }).waitFor();
    await staff.getByRole('textbox', { name: '투표지 번호' }).fill(`S-${width}`);
    await staff.locator('fieldset.ballot-pot').nth(0).locator('input[type="checkbox"]').nth(0).check();
    await staff.getByRole('button', { name: '투표지 입력' }).click();
    await staff.getByText('첫 번째 입력을 저장했습니다.', { exact: false }).waitFor();
    await staff.getByText(`S-${width}`).first().waitFor();
    await checkAccessibility(staff, `the polling station with a sheet waiting at ${width} px`);
  });
}

test('the coordinator publishes the results; the residents find their ballots counted and read why', async () => {
  const staff = await newPage(browser, { viewport: { width: 1366, height: 900 } });
  await login(staff, 'coordinator@hanbit.example');
  await staff.goto(`${BASE}/hanbit/staff/budgeting/2027`);
  await checkAccessibility(staff, 'the process in the back office');
  await staff.getByRole('button', { name: '다음 단계로: 결과 발표' }).click();
  await staff.waitForLoadState('domcontentloaded');
  await staff.getByText('다음 단계로 넘어갔습니다.').waitFor();
  await staff.getByRole('heading', { name: '집계 미리 보기' }).waitFor();
  await staff.getByRole('button', { name: '결과 발표하기' }).click();
  await staff.waitForLoadState('domcontentloaded');
  await staff.getByText('결과를 발표했습니다.').first().waitFor();

  for (const width of [390, 1366]) {
    const [email, receipt] = receipts[width];
    const page = await newPage(browser, { viewport: { width, height: 900 } });
    await login(page, email);
    await page.goto(`${BASE}/hanbit/budgeting/2027/receipt`);
    await page.getByRole('textbox', { name: '영수증 코드' }).fill(receipt);
    await page.getByRole('button', { name: '확인하기' }).click();
    await page.getByText('집계에 들어가 있습니다', { exact: false }).waitFor();
    await page.getByText('결과와 함께 공개된 투표 목록에도 들어 있습니다.').waitFor();
    await checkAccessibility(page, `the receipt check at ${width} px`);
    await page.getByRole('link', { name: '결과 보기' }).click();
    await page.getByRole('heading', { name: '2027년 주민참여예산 투표 결과' }).waitFor();
    const reasons = await page.locator('td.why').allInnerTexts();
    assert.ok(reasons.some((r) => /선정되었습니다/.test(r)), 'a funded project says why');
    assert.ok(reasons.some((r) => /선정되지 않았습니다/.test(r)), 'a project left out says why');
    await checkAccessibility(page, `the results at ${width} px`);
    await noSidewaysScroll(page, 'the results');
  }
});
