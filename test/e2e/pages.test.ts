/**
 * The pages people see, in a real browser: the privacy notice (reading and printing) and
 * the one-click unsubscribe flow from an e-mail link.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { browserSkip, launchBrowser } from '../support/browser.js';
import { createTestCustodian, type TestCustodian } from '../support/custodian.js';
import { marketingConsent } from '../support/consents.js';
import { ENGINES, engineSkip } from '../support/engines.js';

const skipBrowser = browserSkip();

for (const engine of ENGINES) {
  describe(`pages in a real browser (${engine})`, { skip: engineSkip(engine) || skipBrowser }, () => {
    let t: TestCustodian;
    let app: FastifyInstance;
    let base: string;
    let browser: Browser;
    let page: Page;
    const consoleErrors: string[] = [];

    before(async () => {
      t = await createTestCustodian(engine);
      app = await buildApp(t.custodian);
      base = await app.listen({ host: '127.0.0.1', port: 0 });
      browser = await launchBrowser();
      page = await browser.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
    });
    after(async () => {
      await browser?.close();
      await app.close();
      await t.dispose();
    });

    it('shows the notice in Kazakh with a working table of contents, and prints it', async () => {
      const response = await page.goto(`${base}/privacy/notice?lang=kk`);
      assert.equal(response?.status(), 200);
      assert.equal(await page.getAttribute('html', 'lang'), 'kk');
      assert.equal(await page.locator('h1').count(), 1);
      assert.match((await page.locator('h1').innerText()).trim(), /Дербес деректер/);
      const firstLink = page.locator('nav a').first();
      const target = (await firstLink.getAttribute('href'))!;
      assert.ok(target.startsWith('#'));
      await firstLink.click();
      assert.equal(new URL(page.url()).hash, target);
      assert.equal(await page.locator(target).count(), 1);
      // Every table is captioned and readable: no cell overflows the page width.
      const overflow = await page.evaluate('document.documentElement.scrollWidth > window.innerWidth + 1');
      assert.equal(overflow, false);
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: 'A4' });
      assert.ok(pdf.subarray(0, 5).toString() === '%PDF-' && pdf.length > 10_000);
      await page.emulateMedia({ media: 'screen' });
      assert.deepEqual(consoleErrors, []);
    });

    it('unsubscribes from an e-mail link in two clicks, without logging in', async () => {
      const { custodian } = t;
      const { id } = await custodian.vault.upsertSubject({ identifiers: [{ type: 'email', value: 'reader@example.kz' }], locale: 'ru' }, 'test');
      const version = custodian.policies.active().number;
      await custodian.consents.record(id, marketingConsent(version, { subjectFullName: 'Reader Person', notice: { policyVersion: version, locale: 'ru', text: 'Новости и предложения' } }), 'test');
      const decide = () => custodian.gate.decide({ subjectId: id, purpose: 'marketing', operation: 'use', categories: ['user.contact.email'] });
      assert.equal((await decide()).allow, true);

      const link = new URL(await custodian.consents.unsubscribeLink(id, 'marketing'), base);
      await page.goto(`${base}${link.pathname}${link.search}`);
      assert.equal((await decide()).allow, true, 'opening the link alone withdraws nothing');
      const button = page.locator('button[type=submit]');
      assert.equal(await button.count(), 1);
      await Promise.all([page.waitForNavigation(), button.click()]);
      assert.equal(await page.getAttribute('html', 'lang'), 'ru');
      assert.deepEqual((await decide()).reasons.map((r) => r.code), ['consent_withdrawn']);

      assert.deepEqual(consoleErrors, []);
      const forged = await page.goto(`${base}/unsubscribe?token=${encodeURIComponent(`${link.searchParams.get('token')}x`)}`);
      assert.equal(forged?.status(), 400);
    });
  });
}
