// Accounts in a real browser: sign-up, login, a refused page, and staff pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, checkAccessibility, login } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a citizen signs up through the form and is signed in', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/`);
  await page.getByRole('link', { name: '회원가입' }).click();
  const email = `e2e-${Date.now()}@example.kr`;
  // First a mistake: the form names the fields and keeps what was typed.
  await page.getByLabel('이메일').fill(email);
  await page.getByLabel('이름').fill('이브라우저');
  await page.getByLabel('비밀번호', { exact: true }).fill('짧음');
  await page.getByLabel('비밀번호 확인').fill('짧음');
  await page.getByRole('button', { name: '가입하기' }).click();
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /비밀번호가 너무 짧습니다/);
  assert.equal(await page.getByLabel('이메일').inputValue(), email);
  await checkAccessibility(page, 'sign-up form with errors');

  assert.match(await page.getByRole('alert').innerText(), /동의해야 가입할 수 있습니다/);
  await page.getByLabel('비밀번호', { exact: true }).fill('브라우저로 가입한 비밀번호');
  await page.getByLabel('비밀번호 확인').fill('브라우저로 가입한 비밀번호');
  await page.getByLabel('위 개인정보 수집·이용에 동의합니다(필수)').check();
  await page.getByLabel('이용약관에 동의합니다(필수)').check();
  await page.getByRole('button', { name: '가입하기' }).click();
  await page.waitForURL(/\/account\?welcome=1$/);
  assert.match(await page.locator('main').innerText(), /가입을 환영합니다/);
  assert.match(await page.locator('main').innerText(), new RegExp(email.replace('.', '\\.')));
  assert.match(await page.locator('main').innerText(), /개인정보 수집·이용/, 'the consent is on record');
  await checkAccessibility(page, 'account page');

  // The person downloads their data, then deletes the account.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '내 정보 내려받기(JSON)' }).click()]);
  const data = JSON.parse(await (await import('node:fs/promises')).readFile(await download.path(), 'utf8'));
  assert.equal(data.account.email, email);
  assert.deepEqual(data.consents.map((c) => c.kind), ['personal_data', 'terms']);
  await page.locator('#delete-password').fill('브라우저로 가입한 비밀번호');
  await page.getByLabel('위 내용을 이해했고 탈퇴합니다').check();
  await page.getByRole('button', { name: '회원 탈퇴' }).click();
  await page.waitForURL(/\/\?deleted=1$/);
  const again = await newPage(browser);
  await login(again, email, '브라우저로 가입한 비밀번호');
  assert.match(await again.getByRole('alert').innerText(), /이메일 또는 비밀번호가 올바르지 않습니다/, 'a deleted account cannot sign in');
});

test('a wrong password is refused with a Korean message', async () => {
  const page = await newPage(browser);
  await login(page, 'citizen@hanbit.example', '틀린 비밀번호입니다');
  assert.match(await page.getByRole('alert').innerText(), /이메일 또는 비밀번호가 올바르지 않습니다/);
});

test('an officer is refused the administration pages, and an administrator is not', async () => {
  const officer = await newPage(browser);
  await login(officer, 'officer@hanbit.example');
  await officer.goto(`${BASE}/hanbit/staff`);
  assert.match(await officer.locator('main').innerText(), /문화관광과/);
  await checkAccessibility(officer, 'staff workspace');
  const refused = await officer.goto(`${BASE}/hanbit/admin/members`);
  assert.equal(refused.status(), 403);
  assert.match(await officer.locator('h1').innerText(), /접근 권한 없음/);
  await checkAccessibility(officer, '403 page');
  assert.equal(await officer.getByRole('link', { name: '직원·권한 관리' }).count(), 0, 'no link to what one may not open');

  const admin = await newPage(browser);
  await login(admin, 'admin@hanbit.example');
  for (const path of ['/hanbit/admin/members', '/hanbit/admin/departments', '/hanbit/admin/audit']) {
    const response = await admin.goto(`${BASE}${path}`);
    assert.equal(response.status(), 200, path);
    await checkAccessibility(admin, path);
  }
});

test('logging out ends the session', async () => {
  const page = await newPage(browser);
  await login(page, 'citizen@hanbit.example');
  await page.goto(`${BASE}/account`);
  await page.getByRole('button', { name: '로그아웃' }).click();
  await page.waitForURL(`${BASE}/`);
  await page.goto(`${BASE}/account`);
  assert.match(page.url(), /\/login\?next=%2Faccount$/);
});
