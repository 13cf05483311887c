import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatTime } from '../../src/consent/messages.js';
import { escapeHtml } from '../../src/consent/pages.js';
import { type ParamKind, TEMPLATE_IDS, TEMPLATE_PARAMS } from '../../src/notify/templates/catalog.js';
import { mailLocale, renderMail } from '../../src/notify/templates/render.js';
import { LOCALES } from '../../src/policy/model.js';

const AT = Date.parse('2026-03-08T06:30:00Z');
// Values a careless template would break on: markup, ampersands and quotes.
const SAMPLE: Record<ParamKind, string | number> = {
  text: 'Offers <b>& "news"</b>',
  'purpose-title': 'Акции <i>&</i> «новости» \'2026\'',
  url: 'https://privacy.example/renew?purpose=a&token=x"y<z>',
  code: 'AB-1234',
  time: AT,
  count: 7,
};

describe('mail templates', () => {
  for (const template of TEMPLATE_IDS) {
    for (const locale of LOCALES) {
      it(`${template} in ${locale}: both parts, the operator named, every parameter shown and escaped`, () => {
        const spec: Record<string, ParamKind> = TEMPLATE_PARAMS[template];
        const params = { operatorName: 'Shop <&> LLP', ...Object.fromEntries(Object.entries(spec).map(([name, kind]) => [name, SAMPLE[kind]])) };
        const mail = renderMail(template, locale, params as never);
        assert.ok(mail.subject.includes('Shop <&> LLP'), 'the subject names the operator');
        assert.ok(!/[\r\n]/.test(mail.subject));
        assert.match(mail.html, new RegExp(`^<!doctype html>\\n<html lang="${locale}">`));
        assert.ok(mail.text.includes('Shop <&> LLP') && mail.html.includes('Shop &#60;&#38;&#62; LLP'));
        assert.ok(!mail.html.includes('<&>'));
        assert.ok(mail.text.includes('\n-- \n'), 'the text part has a footer');
        for (const [name, kind] of Object.entries(spec)) {
          const shown = kind === 'time' ? formatTime(AT, locale) : String(SAMPLE[kind]);
          assert.ok(mail.text.includes(shown), `text shows ${name}`);
          assert.ok(mail.html.includes(escapeHtml(shown)), `HTML shows ${name} escaped`);
          if (shown !== escapeHtml(shown)) assert.ok(!mail.html.includes(shown), `HTML never carries ${name} raw`);
        }
      });
    }
    it(`${template} reads differently in each language`, () => {
      const spec: Record<string, ParamKind> = TEMPLATE_PARAMS[template];
      const params = { operatorName: 'Op', ...Object.fromEntries(Object.entries(spec).map(([name, kind]) => [name, SAMPLE[kind]])) };
      const subjects = LOCALES.map((locale) => renderMail(template, locale, params as never).subject);
      assert.equal(new Set(subjects).size, LOCALES.length);
    });
  }

  it('Russian counts minutes in the right case', () => {
    const text = (n: number) => renderMail('verification-code', 'ru', { operatorName: 'Op', code: '1234', expiresInMinutes: n }).text;
    assert.match(text(1), /Код действует 1 минуту\./);
    assert.match(text(3), /Код действует 3 минуты\./);
    assert.match(text(5), /Код действует 5 минут\./);
    assert.match(text(11), /Код действует 11 минут\./);
    assert.match(text(21), /Код действует 21 минуту\./);
    assert.match(renderMail('verification-code', 'en', { operatorName: 'Op', code: '1234', expiresInMinutes: 1 }).text, /valid for 1 minute\./);
  });

  it('mail goes in the person’s language, else the policy’s default, else English', () => {
    assert.equal(mailLocale('kk', 'ru'), 'kk');
    assert.equal(mailLocale(null, 'ru'), 'ru');
    assert.equal(mailLocale('de', 'kk'), 'kk');
    assert.equal(mailLocale(undefined, 'fr'), 'en');
  });
});
