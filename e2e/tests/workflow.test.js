// The quarterly reporting workflow in a real browser: an officer submits, the
// coordinator returns it with a comment, the officer resubmits, the coordinator
// approves and closes the quarter, and the public dashboard shows the new quarter.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, checkAccessibility, login, guideShot } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PLAN = `${BASE}/hanbit/staff/plans/pledges-8`;
// 3-07 is a culture-department pledge with no report yet in the demo's open quarter.
const REPORT = `${PLAN}/reports/3-07`;

test('officer submits → coordinator returns → officer resubmits → coordinator approves and publishes', async () => {
  const officer = await newPage(browser);
  await login(officer, 'officer@hanbit.example');
  await officer.goto(`${BASE}/hanbit/staff`);
  await guideShot(officer, '01-officer-todo');
  await officer.getByRole('link', { name: '민선8기 시장 공약 추진 보고' }).click();
  await officer.waitForURL(PLAN);
  assert.match(await officer.locator('main').innerText(), /2026년 3분기 보고/);
  assert.match(await officer.locator('main').innerText(), /부서별 미제출 현황/);
  await checkAccessibility(officer, 'reporting overview (officer)');

  await officer.goto(REPORT);
  await officer.getByLabel('추진 상태').selectOption('completed');
  await officer.getByLabel('진척률(%)').fill('100');
  // Submitting without achievements is refused at the field.
  await officer.getByRole('button', { name: '제출하기' }).click();
  await officer.getByRole('alert').first().waitFor();
  assert.match(await officer.locator('#achievements-error').innerText(), /필수 입력 항목입니다/);
  await checkAccessibility(officer, 'report form with an error');
  await officer.getByLabel('추진 실적').fill('야간 관광 명소 3곳 조성 완료');
  await guideShot(officer, '02-officer-report');
  await officer.getByRole('button', { name: '제출하기' }).click();
  await officer.waitForURL(REPORT);
  assert.match(await officer.locator('main').innerText(), /제출됨\(검토 대기\)/);

  const coordinator = await newPage(browser);
  await login(coordinator, 'coordinator@hanbit.example');
  await guideShot(coordinator, '03-coordinator-todo');
  await coordinator.goto(`${PLAN}/import`);
  await checkAccessibility(coordinator, 'spreadsheet upload');
  await coordinator.goto(REPORT);
  await guideShot(coordinator, '04-coordinator-review');
  await coordinator.getByLabel('검토 의견').fill('조성된 명소의 위치와 준공일을 적어 주세요');
  await coordinator.getByRole('button', { name: '반려하기' }).click();
  await coordinator.waitForURL(PLAN);

  await officer.goto(REPORT);
  assert.match(await officer.getByRole('alert').innerText(), /반려 사유: 조성된 명소의 위치와 준공일을 적어 주세요/);
  await guideShot(officer, '05-officer-returned');
  await officer.getByLabel('추진 실적').fill('야간 관광 명소 3곳 조성 완료 (한빛교, 별빛공원, 옛 역사 — 2026. 8. 30. 준공)');
  await officer.getByRole('button', { name: '제출하기' }).click();
  await officer.waitForURL(REPORT);

  await coordinator.goto(REPORT);
  await checkAccessibility(coordinator, 'report review');
  await coordinator.getByRole('button', { name: '승인하기' }).click();
  await coordinator.waitForURL(PLAN);
  assert.match(await coordinator.locator('main').innerText(), /승인됨/);
  await coordinator.locator('#close-title').scrollIntoViewIfNeeded();
  await guideShot(coordinator, '06-coordinator-close');
  await coordinator.getByRole('button', { name: /2026년 3분기 마감하고 공개하기/ }).click();
  await coordinator.waitForURL(`${BASE}/hanbit/plans/pledges-8`);

  const citizen = await newPage(browser);
  await citizen.goto(`${BASE}/hanbit/plans/pledges-8`);
  const main = await citizen.locator('main').innerText();
  assert.match(main, /2026년 3분기 공개 기준/);
  assert.equal(await citizen.locator('code.hash').count(), 5, 'the new quarter joined the chain');
  await guideShot(citizen, '07-public-dashboard');
  await checkAccessibility(citizen, 'dashboard after publishing');
});

test('a citizen cannot open the reporting pages', async () => {
  const citizen = await newPage(browser);
  await login(citizen, 'citizen@hanbit.example');
  const response = await citizen.goto(PLAN);
  assert.equal(response.status(), 403);
});
