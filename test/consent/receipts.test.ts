import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { createTestCustodian, DEMO_POLICY, type TestCustodian } from '../support/custodian.js';
import { ENGINES, engineSkip } from '../support/engines.js';
import { DAY, FULL_NAME, GLOBAL_POLICY, KZ_POLICY, kzConsent, newSubject, plainConsent } from './consent-fixtures.js';

/** Kantara Consent Receipt 1.1: the fields a receipt must carry (shared/reference/standards.md). */
const KANTARA_REQUIRED = ['version', 'jurisdiction', 'consentTimestamp', 'collectionMethod', 'consentReceiptID', 'piiPrincipalId', 'piiControllers', 'policyUrl', 'services', 'sensitive', 'spiCat'];
const KANTARA_PURPOSE_REQUIRED = ['purpose', 'purposeCategory', 'consentType', 'piiCategory', 'primaryPurpose', 'termination', 'thirdPartyDisclosure'];

interface Harness {
  t: TestCustodian;
  app: FastifyInstance;
  /** `consents:read` only. */
  key: string;
  /** `consents:read` and `data:read`: may be shown the person's name. */
  dataKey: string;
}

async function harness(engine: (typeof ENGINES)[number], policy: string): Promise<Harness> {
  const t = await createTestCustodian(engine, { policy });
  const app = await buildApp(t.custodian);
  const { key } = await t.custodian.apiKeys.create('receipts', ['consents:read']);
  const { key: dataKey } = await t.custodian.apiKeys.create('receipts-with-data', ['consents:read', 'data:read']);
  return { t, app, key, dataKey };
}

async function receipt(h: Harness, id: string, query = '', key = h.dataKey) {
  return h.app.inject({ method: 'GET', url: `/v1/consents/${id}/receipt${query}`, headers: { authorization: `Bearer ${key}` } });
}

for (const engine of ENGINES) {
  describe(`consent receipts (${engine})`, { skip: engineSkip(engine) }, () => {
    let demo: Harness;
    let kz: Harness;
    let global: Harness;

    before(async () => {
      [demo, kz, global] = await Promise.all([harness(engine, DEMO_POLICY), harness(engine, KZ_POLICY), harness(engine, GLOBAL_POLICY)]);
    });
    after(async () => {
      for (const h of [demo, kz, global]) {
        await h.app.close();
        await h.t.dispose();
      }
    });

    it('issues a Kantara Consent Receipt 1.1 with every required field', async () => {
      const id = await newSubject(demo.t.custodian, 'kantara@example.kz', { locale: 'en' });
      const record = await demo.t.custodian.consents.record(
        id,
        kzConsent('marketing', { validity: 'P2Y', notice: { policyVersion: 1, locale: 'en', text: 'Send me news' } }),
        'apikey:0000000000000000',
      );
      const res = await receipt(demo, record.id);
      assert.equal(res.statusCode, 200, res.body);
      assert.match(res.headers['content-type'] as string, /^application\/json/);
      const body = res.json();
      for (const field of KANTARA_REQUIRED) assert.ok(field in body, `receipt has ${field}`);
      assert.equal(body.version, 'KI-CR-v1.1.0');
      assert.equal(body.consentTimestamp, Math.floor(record.at / 1000));
      assert.equal(body.consentReceiptID, record.id);
      assert.equal(body.piiPrincipalId, id);
      assert.equal(body.collectionMethod, 'web-form');
      assert.equal(body.jurisdiction, 'KZ EU');
      assert.equal(body.piiControllers[0].piiController, 'Demo Shop LLP');
      for (const field of ['contact', 'address', 'email', 'phone']) assert.equal(typeof body.piiControllers[0][field], 'string', field);
      assert.equal(body.policyUrl, 'https://demo-shop.example');
      const [service] = body.services;
      const [purpose] = service.purposes;
      for (const field of KANTARA_PURPOSE_REQUIRED) assert.ok(field in purpose, `purpose has ${field}`);
      assert.equal(purpose.purpose, 'News and offers by e-mail');
      assert.deepEqual(purpose.purposeCategory, ['Marketing']);
      assert.deepEqual(purpose.piiCategory, ['Full name', 'Email address']);
      assert.equal(purpose.thirdPartyDisclosure, false);
      assert.ok(!('thirdPartyName' in purpose), 'no third party named when nothing is disclosed');
      assert.match(purpose.termination, /2028-11-22/);
      assert.equal(body.sensitive, false);
      assert.deepEqual(body.spiCat, []);
      assert.ok(!res.body.includes(FULL_NAME), 'the machine receipt carries no name');
    });

    it('names the third parties when the consent discloses to them', async () => {
      const id = await newSubject(kz.t.custodian, 'third@example.kz');
      const record = await kz.t.custodian.consents.record(id, kzConsent('loyalty', { scope: { thirdParties: true, crossBorder: true, publicDissemination: false } }), 'test');
      const purpose = (await receipt(kz, record.id)).json().services[0].purposes[0];
      assert.equal(purpose.thirdPartyDisclosure, true);
      assert.equal(purpose.thirdPartyName, 'Partner Rewards GmbH');
      assert.equal((await receipt(kz, record.id)).json().policyUrl, 'https://steppe-market.example/privacy');

      const separate = await kz.t.custodian.consents.record(id, kzConsent('loyalty', { separateScope: 'crossBorder', scope: undefined }), 'test');
      const separatePurpose = (await receipt(kz, separate.id)).json().services[0].purposes[0];
      assert.equal(separatePurpose.thirdPartyDisclosure, false);
      assert.equal(separatePurpose.primaryPurpose, false);
      assert.match(separatePurpose.purpose, /^Программа лояльности с партнёрами — отдельное согласие на трансграничную передачу$/, 'in the receipt’s language');
    });

    it('marks special categories as sensitive and lists them in spiCat', async () => {
      const subject = await newSubject(global.t.custodian, 'voice@example.com', { jurisdiction: 'EU' });
      const voice = await global.t.custodian.consents.record(subject, plainConsent('voice-recording'), 'test');
      const body = (await receipt(global, voice.id)).json();
      assert.equal(body.sensitive, true);
      assert.deepEqual(body.spiCat, ['user.biometric.voice']);
      assert.equal(body.piiControllers[0].contact, 'Data Protection Officer');
      assert.equal(body.piiControllers[0].email, 'dpo@global-shop.example');
      assert.match(body.policyUrl, /^urn:custodian:policy:global-shop:v1$/, 'a stable reference where the policy publishes no URL');

      const kzSubject = await newSubject(kz.t.custodian, 'health@example.kz');
      const wellness = await kz.t.custodian.consents.record(kzSubject, kzConsent('wellness', { validity: 'P6M', categories: ['user.name', 'user.health_and_medical'] }), 'test');
      const kzBody = (await receipt(kz, wellness.id)).json();
      assert.equal(kzBody.sensitive, true);
      assert.deepEqual(kzBody.spiCat, ['user.health_and_medical']);
    });

    it('issues Kantara receipts for given consents only', async () => {
      const id = await newSubject(global.t.custodian, 'refuser@example.com');
      const refused = await global.t.custodian.consents.record(id, plainConsent('newsletter', { decision: 'refuse' }), 'test');
      const res = await receipt(global, refused.id);
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().error.code, 'conflict');
      assert.equal((await receipt(global, '00000000-0000-4000-8000-000000000000')).statusCode, 404);
    });

    it('issues an ISO/IEC TS 27560 record in DPV JSON-LD for every state', async () => {
      const { consents } = global.t.custodian;
      const id = await newSubject(global.t.custodian, 'dpv@example.com', { jurisdiction: 'EU' });
      const given = await consents.record(id, plainConsent('ad-sharing'), 'test');
      const res = await receipt(global, given.id, '?format=jsonld');
      assert.equal(res.statusCode, 200, res.body);
      assert.match(res.headers['content-type'] as string, /^application\/ld\+json/);
      const record = res.json();
      assert.equal(record['@context'].dpv, 'https://w3id.org/dpv#');
      assert.equal(record['@type'], 'dpv:ConsentRecord');
      assert.equal(record['@id'], `urn:uuid:${given.id}`);
      assert.deepEqual(record['dpv:hasConsentStatus'], { '@id': 'dpv:ConsentGiven' });
      assert.deepEqual(record['dpv:isIndicatedAtTime'], { '@value': '2026-11-22T09:00:00.000Z', '@type': 'xsd:dateTime' });
      assert.deepEqual(record['dpv:hasIndicationMethod'], { '@value': 'api' });
      assert.equal(record['dpv:hasPurpose']['dct:identifier'], 'ad-sharing');
      assert.deepEqual(
        record['dpv:hasPersonalData'].map((d: Record<string, string>) => d['dct:identifier']),
        ['user.device.cookie_id', 'user.contact.email'],
      );
      assert.equal(record['dpv:hasDataController']['@type'], 'dpv:DataController');
      assert.equal(record['dpv:hasDataController']['dpv:hasName'], 'Global Shop Ltd');
      assert.equal(record['dpv:hasExpiryTime']['@value'], '2027-11-22T09:00:00.000Z');

      const status = async (recordId: string) => (await receipt(global, recordId, '?format=jsonld')).json()['dpv:hasConsentStatus']['@id'];
      const refused = await consents.record(id, plainConsent('voice-recording', { decision: 'refuse' }), 'test');
      assert.equal(await status(refused.id), 'dpv:ConsentRefused');
      const newsletter = await consents.record(id, plainConsent('newsletter'), 'test');
      const [withdrawn] = await consents.withdraw(id, 'newsletter', { channel: 'email' }, 'test');
      assert.equal(await status(withdrawn.id), 'dpv:ConsentWithdrawn');
      assert.equal(await status(newsletter.id), 'dpv:ConsentGiven', 'a record describes its own act');

      const start = global.t.clock.now();
      try {
        global.t.clock.advance(366 * DAY);
        assert.equal(await status(given.id), 'dpv:ConsentExpired');
      } finally {
        global.t.clock.set(start);
      }
    });

    it('gives the person a readable copy in Russian and Kazakh, escaped and self-contained', async () => {
      const ru = await newSubject(kz.t.custodian, 'copy-ru@example.kz', { locale: 'ru' });
      const name = 'Айгерим <script>alert(1)</script> Сейітова';
      const record = await kz.t.custodian.consents.record(ru, kzConsent('loyalty', { subjectFullName: name, scope: { thirdParties: true, crossBorder: true, publicDissemination: false } }), 'test');
      const res = await receipt(kz, record.id, '?format=html');
      assert.equal(res.statusCode, 200, res.body);
      assert.match(res.headers['content-type'] as string, /^text\/html; charset=utf-8/);
      assert.match(res.headers['content-security-policy'] as string, /default-src 'none'/);
      assert.equal(res.headers['content-language'], 'ru');
      const html = res.body;
      assert.match(html, /<html lang="ru">/);
      for (const text of ['Запись о вашем согласии', 'Согласие дано', 'ТОО «Steppe Market», БИН 240540001232', 'Программа лояльности с партнёрами', 'Передача третьим лицам', 'Partner Rewards GmbH', 'Трансграничная передача', 'Адрес электронной почты', '22 ноября 2027 г.']) {
        assert.ok(html.includes(text), `ru copy has "${text}"`);
      }
      assert.ok(html.includes('Айгерим &#60;script&#62;alert(1)&#60;/script&#62; Сейітова'), 'the name is shown, escaped');
      assert.ok(!html.includes('<script'), 'nothing executable');
      assert.ok(!/\s(src|href)=/i.test(html) && !html.includes('<link') && !html.includes('url('), 'no external resources');

      const kk = await receipt(kz, record.id, '?format=html&locale=kk');
      assert.match(kk.body, /<html lang="kk">/);
      for (const text of ['Келісіміңіз туралы жазба', 'Келісім берілді', '«Steppe Market» ЖШС, БСН 240540001232', 'Серіктестермен адалдық бағдарламасы', 'Үшінші тұлғаларға беру', 'Иә']) {
        assert.ok(kk.body.includes(text), `kk copy has "${text}"`);
      }

      const released = async () => (await kz.t.custodian.store.db.selectFrom('journal_event').selectAll().where('subject_id', '=', ru).where('operation', 'in', ['extraction', 'use']).execute()).filter((e) => JSON.parse(e.details).output === 'readable-copy');
      const extractions = await released();
      assert.equal(extractions.length, 2, 'each decrypted copy is journaled');
      assert.ok(!JSON.stringify(extractions).includes('Айгерим'));

      // A key that may read consents but not personal data gets the copy without the name, and nothing is decrypted.
      const withheld = await receipt(kz, record.id, '?format=html', kz.key);
      assert.equal(withheld.statusCode, 200, withheld.body);
      assert.ok(!withheld.body.includes('Айгерим'), 'the name is not released to a consents:read key');
      assert.ok(withheld.body.includes('указано; в этой копии не отображается'), 'the copy says the name is on record');
      assert.equal((await released()).length, 2, 'no release was journaled');

      // Once the consent is withdrawn, the gate no longer lets the name out either.
      await kz.t.custodian.consents.withdraw(ru, 'loyalty', { channel: 'web-form' }, 'test');
      const afterWithdrawal = await receipt(kz, record.id, '?format=html');
      assert.ok(!afterWithdrawal.body.includes('Айгерим'), 'released only through the gate');
    });
  });
}
