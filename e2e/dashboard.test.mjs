// The dashboard in a real headless Chromium: setup link, sign-in, roles,
// the rules tester, review decisions and their audit entries, hostile
// member input, and the language switch. Run through scripts/e2e (or
// `node --test e2e/` after building target/debug/steward).
//
// The tests share one server and run in order: the owner made by the first
// test is used by the rest.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  PASSWORD,
  appeal,
  ingest,
  launchBrowser,
  message,
  newPage,
  onPage,
  screenshot,
  startSteward,
  visit,
} from './harness.mjs';

const OWNER = 'ada';
const OPERATOR = 'olga';
const HOSTILE = '<script>alert(1)</script>';
const HOSTILE_TEXT = `${HOSTILE}<img src=x onerror=alert(2)>`;
const ENGLISH_SPAM = 'Crypto airdrop! Claim now';
const CHINESE_SPAM = '兼职刷单日结300，加V：abc123';
const OWNER_APPEAL = 'I only shared a link to the meetup, please undo the warning';
const OPERATOR_APPEAL = 'My message was about our study group, not an advert';

const NAV = {
  en: ['Overview', 'Groups', 'Review queue', 'Rules', 'Ban lists', 'Audit log', 'Members', 'Join requests', 'Referrals', 'Scheduled posts', 'Polls', 'Raffles', 'Events', 'FAQ', 'Points', 'Tickets', 'Reports', 'Settings'],
  zh: ['概览', '群组', '审核队列', '规则', '封禁名单', '操作日志', '成员', '入群申请', '邀请裂变', '定时发布', '投票问答', '抽奖', '活动', '常见问题', '积分', '工单', '运营报告', '设置'],
  ru: ['Обзор', 'Группы', 'Очередь проверки', 'Правила', 'Бан-листы', 'Журнал действий', 'Участники', 'Заявки', 'Приглашения', 'Публикации', 'Опросы', 'Розыгрыши', 'Мероприятия', 'FAQ', 'Баллы', 'Обращения', 'Отчёты', 'Настройки'],
};

/** The headings of the navigation's sections, in order. */
const NAV_SECTIONS = {
  en: ['Overview', 'Moderation', 'Members', 'Engagement', 'Reports', 'Settings'],
  zh: ['总览', '管理', '成员', '运营', '报告', '设置'],
  ru: ['Обзор', 'Модерация', 'Участники', 'Вовлечение', 'Отчёты', 'Настройки'],
};

let server;
let browser;
let owner; // the owner's page once signed in (see ownerPage)

/**
 * The owner's page, signed in. The first test makes the owner through the
 * setup link and checks every step; a test run alone (--test-name-pattern)
 * gets the owner here.
 */
async function ownerPage() {
  if (!owner) {
    owner = await newPage(browser);
    await owner.goto(server.setupLink);
    await createAccount(owner, OWNER);
  }
  return owner;
}

/** The texts of the header's navigation links (without the brand). */
async function navTexts(page) {
  const links = page.locator('header nav ul a');
  return (await links.allTextContents()).map((t) => t.trim());
}

/** The headings of the navigation's sections. */
async function navSections(page) {
  return (await page.locator('header nav .nav-heading').allTextContents()).map((t) => t.trim());
}

/** Fills and submits the name-and-password form of /setup and /invite. */
async function createAccount(page, name) {
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Password (at least 10 characters)').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/overview?notice=notice-welcome');
}

/**
 * The innermost element of the review queue that holds `text` and a
 * Confirm button: one review item.
 */
function reviewItem(page, text) {
  return page
    .locator('main *', { hasText: text, has: page.getByRole('button', { name: 'Confirm', exact: true }) })
    .last();
}

/**
 * Asserts that the audit log has an entry by `user:<name>` with `action`
 * about `member`.
 */
async function assertAuditEntry(page, name, action, member) {
  assert.equal(await visit(page, server.base, '/audit'), 200);
  await page
    .locator('main')
    .getByRole('row')
    .filter({ hasText: `user:${name}` })
    .filter({ hasText: action })
    .filter({ hasText: member })
    .first()
    .waitFor();
}

describe('the dashboard in a browser', () => {
  before(async () => {
    server = await startSteward();
    browser = await launchBrowser();
    // Two groups, a few members, spam in two languages, a hostile member,
    // and appeals so that the review queue surely has open items.
    await ingest(server, [
      message({ member: 'u-alice', memberName: 'Alice', text: 'Hello everyone, glad to be here' }),
      message({ member: 'u-boris', memberName: 'Борис', text: 'Привет! Когда встреча?' }),
      message({ member: 'u-wang', memberName: '王伟', text: '大家好，今天的作业在哪里？' }),
      message({ group: 'g-e2e-2', groupTitle: 'Rust Meetup', member: 'u-alice', memberName: 'Alice', text: 'See you on Friday' }),
      message({ member: 'u-spam1', memberName: 'Lucky Coins', text: ENGLISH_SPAM }),
      message({ member: 'u-spam2', memberName: '发财', text: CHINESE_SPAM }),
      message({ member: 'u-hostile', memberName: HOSTILE, text: HOSTILE_TEXT }),
    ]);
    await appeal(server, { member: 'u-alice', text: OWNER_APPEAL });
    await appeal(server, { member: 'u-boris', text: OPERATOR_APPEAL });
    await appeal(server, { member: 'u-hostile', text: HOSTILE_TEXT });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the setup link creates the owner, who is then signed in', async () => {
    const page = await newPage(browser);
    await onPage(page, 'setup', async () => {
      const owner = page;
      await owner.goto(server.setupLink);
      await owner.getByRole('heading', { name: 'Create the owner account' }).waitFor();
      await screenshot(owner, 'setup');
      await createAccount(owner, OWNER);
      await owner.getByRole('status').filter({ hasText: 'Welcome to Steward.' }).waitFor();
      assert.deepEqual(await navTexts(owner), NAV.en);
      assert.deepEqual(await navSections(owner), NAV_SECTIONS.en);
      await owner.getByText(`Signed in as ${OWNER}`).waitFor();
      await screenshot(owner, 'overview');

      // The link works once.
      const again = await newPage(browser);
      await again.goto(server.setupLink);
      await again.getByText('The owner account exists already.').waitFor();
      await again.context().close();
    });
    owner = page;
  });

  test('sign out, a wrong password is refused, the right one signs in', async () => {
    const owner = await ownerPage();
    await onPage(owner, 'login', async () => {
      await owner.getByRole('button', { name: 'Sign out' }).click();
      await owner.waitForURL('**/login');
      // Signed-out pages send back to the sign-in page.
      await owner.goto(`${server.base}/review`);
      assert.match(owner.url(), /\/login\?next=%2Freview|\/login\?next=\/review/);
      await screenshot(owner, 'login');

      await owner.getByLabel('Name', { exact: true }).fill(OWNER);
      await owner.getByLabel('Password', { exact: true }).fill('not the password');
      const refused = owner.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST');
      await owner.getByRole('button', { name: 'Sign in' }).click();
      assert.equal((await refused).status(), 401);
      await owner.getByRole('alert').filter({ hasText: 'Wrong name or password.' }).waitFor();

      await owner.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await owner.getByRole('button', { name: 'Sign in' }).click();
      await owner.waitForURL('**/review');
      assert.deepEqual(await navTexts(owner), NAV.en);
    });
  });

  test('every main page renders for the owner (screenshots)', async () => {
    const owner = await ownerPage();
    const pages = [
      ['overview', '/overview', 'Overview'],
      ['groups', '/groups', 'Groups'],
      ['rules', '/rules', 'Rules'],
      ['review', '/review', 'Review queue'],
      ['members', '/members', 'Members'],
      ['audit', '/audit', 'Audit log'],
      ['settings', '/settings', 'Settings'],
    ];
    for (const [name, path, heading] of pages) {
      await onPage(owner, name, async () => {
        assert.equal(await visit(owner, server.base, path), 200, `GET ${path}`);
        await owner.getByRole('heading', { level: 1, name: heading }).waitFor();
        assert.equal(await owner.locator(`header nav a[aria-current="page"]`).textContent(), heading);
        await screenshot(owner, name);
      });
    }
    assert.deepEqual(owner.pageErrors, [], 'no script errors');
  });

  test('the member-lifecycle and engagement pages render, and fit a phone screen', async () => {
    const owner = await ownerPage();
    const pages = [
      ['joins', '/joins'],
      ['referrals', '/referrals'],
      ['ban-lists', '/ban-lists'],
      ['raffles', '/raffles'],
      ['faq', '/faq'],
      ['points', '/points'],
      ['tickets', '/tickets'],
      ['activities', '/activities'],
      ['posts', '/posts'],
      ['polls', '/polls'],
      ['inactive', '/members/inactive?days=1'],
      ['cleanup', '/members/cleanup'],
      ['since', '/members/since'],
      ['exempt', '/members/exempt'],
    ];
    for (const width of [1280, 390]) {
      await owner.setViewportSize({ width, height: 900 });
      try {
        for (const [name, path] of pages) {
          const shot = width === 1280 ? name : `phone-${name}`;
          await onPage(owner, shot, async () => {
            assert.equal(await visit(owner, server.base, path), 200, `GET ${path}`);
            await owner.getByRole('heading', { level: 1 }).first().waitFor();
            const overflow = await owner.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
            assert.ok(overflow <= 1, `${path} is ${overflow}px wider than the screen at ${width}px`);
            await screenshot(owner, shot);
          });
        }
      } finally {
        await owner.setViewportSize({ width: 1280, height: 900 });
      }
    }
    assert.deepEqual(owner.pageErrors, [], 'no script errors');
  });

  test('the grouped navigation shows every link at desktop and phone width', async () => {
    const owner = await ownerPage();
    for (const width of [1280, 390]) {
      await owner.setViewportSize({ width, height: 900 });
      try {
        await onPage(owner, `nav-${width}`, async () => {
          assert.equal(await visit(owner, server.base, '/posts'), 200, 'GET /posts');
          assert.deepEqual(await navTexts(owner), NAV.en);
          assert.deepEqual(await navSections(owner), NAV_SECTIONS.en);
          // The current page is marked inside its section.
          const current = owner.locator('header nav .nav-section', { hasText: 'Engagement' }).locator('a[aria-current="page"]');
          assert.equal((await current.textContent()).trim(), 'Scheduled posts');
          // Every link is shown whole on the screen, with no sideways scrolling.
          for (const link of await owner.locator('header nav ul a').all()) {
            assert.ok(await link.isVisible(), `${await link.textContent()} is visible at ${width}px`);
            const box = await link.boundingBox();
            assert.ok(box && box.x >= 0 && box.x + box.width <= width + 1, `${await link.textContent()} fits at ${width}px`);
          }
          const overflow = await owner.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 1, `the navigation is ${overflow}px wider than the screen at ${width}px`);
          await screenshot(owner, `nav-${width}`);
        });
      } finally {
        await owner.setViewportSize({ width: 1280, height: 900 });
      }
    }
  });

  test('the main pages fit a phone screen', async () => {
    const owner = await ownerPage();
    await owner.setViewportSize({ width: 390, height: 844 });
    try {
      for (const [name, path] of [['overview', '/overview'], ['review', '/review'], ['members', '/members'], ['settings', '/settings']]) {
        await onPage(owner, `phone-${name}`, async () => {
          assert.equal(await visit(owner, server.base, path), 200, `GET ${path}`);
          // Wide tables scroll inside their own box; the page itself does not scroll sideways.
          const overflow = await owner.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 1, `${path} is ${overflow}px wider than a phone screen`);
          await screenshot(owner, `phone-${name}`);
        });
      }
    } finally {
      await owner.setViewportSize({ width: 1280, height: 900 });
    }
  });

  test('a report is picked, shown with its charts and exported, at desktop and phone width', async () => {
    const owner = await ownerPage();
    const events = [
      message({ group: 'g-reports', groupTitle: 'Reports group', member: 'r-ann', memberName: 'Ann Report', text: 'good morning all' }),
      message({ group: 'g-reports', groupTitle: 'Reports group', member: 'r-ann', memberName: 'Ann Report', text: 'the release is out' }),
      message({ group: 'g-reports', groupTitle: 'Reports group', member: 'r-bob', memberName: 'Bob Report', text: 'thanks for the news' }),
    ];
    await ingest(server, events);
    const day = events[0].at.slice(0, 10);
    await onPage(owner, 'reports', async () => {
      assert.equal(await visit(owner, server.base, '/reports'), 200, 'GET /reports');
      await owner.locator('#reports-scope').selectOption({ label: 'Reports group' });
      await owner.locator('#reports-period').selectOption('daily');
      await owner.locator('#reports-at').fill(day);
      await owner.getByRole('button', { name: 'Show' }).click();
      await owner.locator('article.report').waitFor();
      assert.ok(owner.url().includes(`at=${day}`), owner.url());
      await owner.locator('article.report').getByText('Ann Report').first().waitFor();
      assert.ok((await owner.locator('article.report svg.chart').count()) > 0, 'the report has charts');
      assert.equal(await owner.locator(`header nav a[aria-current="page"]`).textContent(), 'Reports');
      // Each export answers as a download with the right type.
      for (const [format, type] of [['md', 'text/markdown'], ['html', 'text/html'], ['json', 'application/json'], ['csv', 'text/csv']]) {
        const href = await owner.locator(`.report-exports a[href$="format=${format}"]`).getAttribute('href');
        const answer = await owner.request.get(`${server.base}${href}`);
        assert.equal(answer.status(), 200, href);
        assert.ok(answer.headers()['content-type'].startsWith(type), `${href}: ${answer.headers()['content-type']}`);
        assert.match(answer.headers()['content-disposition'], new RegExp(`^attachment; filename="steward-group-\\d+-${day}\\.${format}"$`));
      }
    });
    const reportUrl = owner.url().slice(server.base.length);
    for (const width of [1280, 390]) {
      await owner.setViewportSize({ width, height: 900 });
      try {
        const shot = width === 1280 ? 'reports-day' : 'phone-reports-day';
        await onPage(owner, shot, async () => {
          assert.equal(await visit(owner, server.base, reportUrl), 200, `GET ${reportUrl}`);
          const chart = owner.locator('article.report svg.chart').first();
          await chart.waitFor();
          const box = await chart.boundingBox();
          assert.ok(box && box.x >= 0 && box.x + box.width <= width + 1, `the chart fits at ${width}px`);
          // Wide report tables scroll inside their own box, not the page.
          const overflow = await owner.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 1, `the report is ${overflow}px wider than the screen at ${width}px`);
          await screenshot(owner, shot);
        });
      } finally {
        await owner.setViewportSize({ width: 1280, height: 900 });
      }
    }
    assert.deepEqual(owner.pageErrors, [], 'no script errors');
  });

  test('groups and members fed through the ingest API are listed', async () => {
    const owner = await ownerPage();
    await visit(owner, server.base, '/overview');
    await owner.locator('main').getByText('Rust Meetup').first().waitFor();
    await visit(owner, server.base, '/groups');
    await owner.locator('main').getByText('Rust Meetup').first().waitFor();
    await owner.locator('main').getByText('E2E 测试群').first().waitFor();
    await onPage(owner, 'group-settings', async () => {
      await owner.locator('main').getByRole('link', { name: 'Rust Meetup' }).click();
      await owner.getByRole('heading', { level: 1, name: 'Group settings: Rust Meetup' }).waitFor();
      await screenshot(owner, 'group-settings');
    });
    await onPage(owner, 'members-listed', async () => {
      await visit(owner, server.base, '/members');
      for (const name of ['Alice', 'Борис', '王伟']) {
        await owner.locator('main').getByText(name).first().waitFor();
      }
      // Search, then the member's profile.
      await owner.getByLabel('Name, @username or platform id').fill('王');
      await owner.getByRole('button', { name: 'Search', exact: true }).click();
      await owner.locator('main').getByRole('link', { name: '王伟' }).click();
      await owner.getByRole('heading', { level: 1, name: '王伟' }).waitFor();
      await screenshot(owner, 'member-profile');
    });
  });

  test('the rules editor tests a text and highlights the evidence', async () => {
    const owner = await ownerPage();
    await onPage(owner, 'rules-verdict', async () => {
      await visit(owner, server.base, '/rules');
      await owner.getByLabel('Text to check against the rules in effect').fill(CHINESE_SPAM);
      await owner.getByRole('button', { name: 'Check', exact: true }).click();
      await owner.waitForURL('**/rules/test*');
      const marks = owner.locator('main mark');
      await marks.first().waitFor();
      const evidence = (await marks.allTextContents()).map((t) => t.trim()).filter(Boolean);
      assert.ok(evidence.length > 0, 'some evidence is marked');
      for (const piece of evidence) {
        assert.ok(CHINESE_SPAM.toLowerCase().includes(piece.toLowerCase()), `"${piece}" is part of the tested text`);
      }
      await screenshot(owner, 'rules-verdict');
    });
  });

  test('deciding a review item writes an audit entry naming the owner', async () => {
    const owner = await ownerPage();
    await onPage(owner, 'review-decide', async () => {
      await visit(owner, server.base, '/review');
      const item = reviewItem(owner, OWNER_APPEAL);
      await item.getByRole('button', { name: 'Confirm', exact: true }).click();
      await owner.waitForURL('**/review?notice=notice-decided');
      await owner.getByRole('status').filter({ hasText: 'The case was decided.' }).waitFor();
      // Decided cases leave the open queue.
      assert.equal(await owner.locator('main').getByText(OWNER_APPEAL).count(), 0);
      await assertAuditEntry(owner, OWNER, 'Case confirmed', 'Alice');
      await screenshot(owner, 'audit-after-decision');
    });
  });

  test('an invited operator cannot reach the rules editor but decides review items once allowed', async () => {
    const owner = await ownerPage();
    let inviteLink;
    await onPage(owner, 'settings-invite', async () => {
      await visit(owner, server.base, '/settings');
      await owner.getByLabel('Role', { exact: true }).selectOption('operator');
      await owner.getByRole('button', { name: 'Create invitation' }).click();
      const link = owner.locator('#invite-link');
      await link.waitFor();
      inviteLink = new URL((await link.textContent()).trim(), server.base).href;
      assert.match(inviteLink, /\/invite\?token=inv_/);
      await screenshot(owner, 'settings-invite');
    });

    const operator = await newPage(browser);
    try {
      await onPage(operator, 'operator', async () => {
        await operator.goto(inviteLink);
        await operator.getByRole('heading', { name: 'Join the team' }).waitFor();
        await operator.getByText('You are invited as Operator.').waitFor();
        await createAccount(operator, OPERATOR);
        await operator.getByText(`Signed in as ${OPERATOR}`).waitFor();

        // No rules editor: not in the navigation, and refused when asked for.
        assert.deepEqual(await navTexts(operator), NAV.en.filter((t) => t !== 'Rules'));
        assert.equal(await visit(operator, server.base, '/rules'), 403);
        await operator.getByRole('alert').filter({ hasText: 'Your role does not allow this.' }).waitFor();
        await screenshot(operator, 'rules-forbidden');

        // Review items are visible, but not decidable yet.
        assert.equal(await visit(operator, server.base, '/review'), 200);
        await operator.locator('main').getByText(OPERATOR_APPEAL).first().waitFor();
        await operator.getByText('Your role may look at the queue but not decide.').waitFor();
        assert.equal(await reviewItem(operator, OPERATOR_APPEAL).count(), 0, 'no Confirm button for operators yet');
      });

      // The owner lets operators decide.
      await onPage(owner, 'settings-operators-decide', async () => {
        await visit(owner, server.base, '/settings');
        await owner.getByRole('row').filter({ hasText: OPERATOR }).first().waitFor();
        await owner.getByLabel('Operators may decide review items').check();
        await owner.getByRole('button', { name: 'Save team settings' }).click();
        await owner.waitForLoadState();
        await visit(owner, server.base, '/settings');
        assert.ok(await owner.getByLabel('Operators may decide review items').isChecked());
      });

      await onPage(operator, 'operator-decides', async () => {
        await visit(operator, server.base, '/review');
        const item = reviewItem(operator, OPERATOR_APPEAL);
        await screenshot(operator, 'review-operator');
        await item.getByRole('button', { name: 'Dismiss and reverse', exact: true }).click();
        await operator.waitForURL('**/review?notice=notice-decided');
        await operator.getByRole('status').filter({ hasText: 'The case was decided.' }).waitFor();
        assert.equal(await operator.locator('main').getByText(OPERATOR_APPEAL).count(), 0);
        await assertAuditEntry(operator, OPERATOR, 'Case dismissed', 'Борис');
        // The rules editor stays closed.
        assert.equal(await visit(operator, server.base, '/rules'), 403);
      });
    } finally {
      await operator.context().close();
    }
  });

  test('a hostile member name and message are shown as text', async () => {
    const owner = await ownerPage();
    for (const path of ['/review', '/overview', '/groups', '/audit', '/members']) {
      const name = `hostile-${path.slice(1)}`;
      await onPage(owner, name, async () => {
        owner.dialogs.length = 0;
        assert.equal(await visit(owner, server.base, path), 200, `GET ${path}`);
        await owner.waitForLoadState('load');
        if (path === '/review' || path === '/members') {
          await owner.locator('main').getByText(HOSTILE).first().waitFor();
          await screenshot(owner, name);
        }
        assert.deepEqual(owner.dialogs, [], `no dialog on ${path}`);
        assert.equal(await owner.locator('main script').count(), 0, `no script element in the content of ${path}`);
        assert.equal(await owner.locator('img[src="x"]').count(), 0, `no injected image on ${path}`);
      });
    }
    // The member's own page has the name as its heading.
    await onPage(owner, 'hostile-profile', async () => {
      await owner.locator('main').getByRole('link', { name: HOSTILE }).first().click();
      await owner.getByRole('heading', { level: 1, name: HOSTILE }).waitFor();
      assert.deepEqual(owner.dialogs, [], 'no dialog on the profile');
      assert.equal(await owner.locator('main script').count(), 0);
      assert.equal(await owner.locator('img[src="x"]').count(), 0);
      await screenshot(owner, 'hostile-profile');
    });
  });

  test('the language switch shows the dashboard in Chinese and Russian', async () => {
    const owner = await ownerPage();
    await onPage(owner, 'language', async () => {
      await visit(owner, server.base, '/overview');
      for (const lang of ['zh', 'ru']) {
        await owner.getByLabel(lang === 'zh' ? 'Language' : '语言').selectOption(lang);
        await owner.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
        assert.ok(owner.url().endsWith('/overview'), `stays on the overview: ${owner.url()}`);
        assert.deepEqual(await navTexts(owner), NAV[lang]);
        assert.deepEqual(await navSections(owner), NAV_SECTIONS[lang]);
        await screenshot(owner, `overview-${lang}`);
      }
      // The choice is the user's: it holds on other pages.
      await visit(owner, server.base, '/review');
      assert.equal(await owner.locator('html').getAttribute('lang'), 'ru');
      await screenshot(owner, 'review-ru');
      // And back to English.
      await owner.getByLabel('Язык').selectOption('en');
      await owner.locator('html[lang="en"]').waitFor({ state: 'attached' });
      assert.deepEqual(await navTexts(owner), NAV.en);
    });

    // Before sign-in, ?lang= picks the language of the sign-in page.
    const guest = await newPage(browser);
    try {
      for (const [lang, heading] of [['zh', '登录'], ['ru', 'Вход']]) {
        await onPage(guest, `login-${lang}`, async () => {
          await visit(guest, server.base, `/login?lang=${lang}`);
          assert.equal(await guest.locator('html').getAttribute('lang'), lang);
          await guest.getByRole('heading', { level: 1, name: heading }).waitFor();
          await screenshot(guest, `login-${lang}`);
        });
      }
    } finally {
      await guest.context().close();
    }
  });
});
