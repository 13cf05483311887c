import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { diffPolicyFiles } from '../../src/cli/policy-commands.js';
import { compilePolicy } from '../../src/policy/compile.js';
import { formatDiagnostic } from '../../src/policy/diagnostics.js';
import { compareRetention, diffPolicies, isMaterial, type PolicyChange } from '../../src/policy/diff.js';
import type { Policy } from '../../src/policy/model.js';

const BASE = `id: shop
version: "1"
defaultLocale: ru
locales: [ru, en]
operator:
  name: {ru: ТОО «Магазин», en: Shop LLP}
  registrations:
    - {scheme: BIN, value: "240540001232"}
  contacts: {email: privacy@shop.kz}
  jurisdictions: [KZ]
  storageRegion: KZ
categories:
  - user.contact.email
  - user.contact.phone_number
  - user.name
purposes:
  - id: orders
    title: {ru: Заказы, en: Orders}
    legalBasis: {kz: contract}
    categories: [user.contact.email, user.name]
    retention: {duration: P3Y, from: contract-ended}
    recipients: [courier]
  - id: newsletter
    title: {ru: Рассылка, en: Newsletter}
    legalBasis: {kz: consent}
    categories: [user.contact.email]
    marketing: true
    consent:
      separate: true
      validity: P1Y
      thirdParties: false
      crossBorder: true
      publicDissemination: false
    retention: {duration: P1Y, from: consent-withdrawn}
    recipients: [mailer]
recipients:
  - id: courier
    kind: processor
    name: {ru: Курьерская служба, en: Courier}
    country: KZ
  - id: mailer
    kind: processor
    name: {ru: Сервис рассылок, en: Mailing service}
    country: DE
    safeguard: consent
  - id: sms
    kind: processor
    name: {ru: SMS-шлюз, en: SMS gateway}
    country: KZ
cookies:
  - {name: session, provider: shop.kz, category: necessary, duration: session}
`;

function compile(text: string): Policy {
  const { policy, diagnostics } = compilePolicy(text, 'shop.policy.yaml');
  assert.ok(policy, diagnostics.map(formatDiagnostic).join('\n'));
  return policy;
}

function editSource(source: string, ...replacements: [string, string][]): Policy {
  let text = source;
  for (const [from, to] of replacements) {
    assert.ok(text.includes(from), `"${from}" not in the policy`);
    text = text.replace(from, to);
  }
  return compile(text);
}

function edit(...replacements: [string, string][]): Policy {
  return editSource(BASE, ...replacements);
}

const base = compile(BASE);

function single(changes: PolicyChange[], code: string): PolicyChange {
  const found = changes.filter((c) => c.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got ${JSON.stringify(changes, null, 2)}`);
  return found[0]!;
}

describe('diffPolicies', () => {
  it('finds nothing between identical policies', () => {
    assert.deepEqual(diffPolicies(base, compile(BASE)), []);
    assert.equal(isMaterial([]), false);
  });

  it('a new purpose is material but renews no existing consent', () => {
    const changes = diffPolicies(
      base,
      edit(['recipients:\n  - id: courier', '  - id: reviews\n    title: {ru: Отзывы, en: Reviews}\n    legalBasis: {kz: consent}\n    categories: [user.name]\n    consent: {separate: true, validity: P1Y, thirdParties: false, crossBorder: false, publicDissemination: true}\n    retention: until-purpose-achieved\nrecipients:\n  - id: courier']),
    );
    const change = single(changes, 'purpose-added');
    assert.equal(change.kind, 'material');
    assert.deepEqual(change.purposes, ['reviews']);
    assert.equal(change.affectsConsents, false);
    assert.equal(isMaterial(changes), true);
  });

  it('a new category under a consent purpose is material and renews its consents', () => {
    const change = single(diffPolicies(base, edit(['categories: [user.contact.email]\n    marketing', 'categories: [user.contact.email, user.contact.phone_number]\n    marketing'])), 'category-added');
    assert.deepEqual(
      { kind: change.kind, purposes: change.purposes, affectsConsents: change.affectsConsents, path: change.path },
      { kind: 'material', purposes: ['newsletter'], affectsConsents: true, path: 'purposes[newsletter].categories' },
    );
    assert.match(change.message, /user\.contact\.phone_number/);
  });

  it('collecting from a new kind of source under a consent purpose is material', () => {
    const changes = diffPolicies(base, edit(['    marketing: true\n', '    marketing: true\n    sources: [direct, third-party]\n']));
    const change = single(changes, 'source-added');
    assert.deepEqual([change.kind, change.purposes, change.affectsConsents], ['material', ['newsletter'], true]);
    const narrower = diffPolicies(edit(['    marketing: true\n', '    marketing: true\n    sources: [direct, third-party]\n']), base);
    assert.equal(single(narrower, 'purpose-details-changed').kind, 'editorial');
  });

  it('a new category under a contract purpose is editorial', () => {
    const change = single(diffPolicies(base, edit(['[user.contact.email, user.name]', '[user.contact.email, user.name, user.contact.phone_number]'])), 'category-added');
    assert.equal(change.kind, 'editorial');
    assert.equal(change.affectsConsents, false);
  });

  it('a new domestic recipient under a consent purpose is material', () => {
    const change = single(diffPolicies(base, edit(['recipients: [mailer]', 'recipients: [mailer, sms]'])), 'recipient-added');
    assert.equal(change.kind, 'material');
    assert.deepEqual(change.purposes, ['newsletter']);
    assert.equal(change.affectsConsents, true);
  });

  it('a new cross-border transfer is material even under a contract purpose', () => {
    const changes = diffPolicies(base, edit(['recipients: [courier]', 'recipients: [courier, mailer]']));
    const change = single(changes, 'cross-border-transfer-added');
    assert.equal(change.kind, 'material');
    assert.deepEqual(change.purposes, ['orders']);
    assert.equal(change.affectsConsents, false);
    assert.match(change.message, /"mailer" in DE \(safeguard: consent\)/);
    assert.equal(changes.filter((c) => c.code === 'recipient-added').length, 0, 'reported once, as the transfer');
  });

  it('a recipient moving abroad is a new cross-border transfer', () => {
    const changes = diffPolicies(base, edit(['    country: KZ\n  - id: mailer', '    country: RU\n    safeguard: treaty\n  - id: mailer']));
    assert.equal(single(changes, 'cross-border-transfer-added').kind, 'material');
    assert.equal(single(changes, 'recipient-details-changed').kind, 'editorial');
  });

  describe('a recipient that changes role or safeguard', () => {
    // The newsletter's consent already covers third parties, so its mailer may become one.
    const SHARING = BASE.replace('thirdParties: false', 'thirdParties: true');
    const sharing = compile(SHARING);
    const from = (...replacements: [string, string][]) => editSource(SHARING, ...replacements);
    const mailerAs = (kind: string) => ['    kind: processor\n    name: {ru: Сервис рассылок', `    kind: ${kind}\n    name: {ru: Сервис рассылок`] as [string, string];

    it('a processor turned third party under a consent purpose is material and renews its consents', () => {
      const changes = diffPolicies(sharing, from(mailerAs('third-party')));
      const change = single(changes, 'recipient-kind-changed');
      assert.deepEqual(
        { kind: change.kind, path: change.path, purposes: change.purposes, affectsConsents: change.affectsConsents },
        { kind: 'material', path: 'recipients[mailer].kind', purposes: ['newsletter'], affectsConsents: true },
      );
      assert.match(change.message, /now a third-party \(was a processor\)/);
      assert.equal(changes.filter((c) => c.code === 'recipient-details-changed').length, 0, 'reported once, as the role change');
      assert.equal(single(diffPolicies(sharing, from(mailerAs('group-company'))), 'recipient-kind-changed').affectsConsents, true);
    });

    it('a recipient brought closer is editorial', () => {
      const changes = diffPolicies(from(mailerAs('third-party')), sharing);
      assert.equal(changes.filter((c) => c.code === 'recipient-kind-changed').length, 0);
      assert.deepEqual([single(changes, 'recipient-details-changed').kind, isMaterial(changes)], ['editorial', false]);
    });

    it('a role change under a contract purpose is material but renews no consent', () => {
      const change = single(diffPolicies(base, edit(['    kind: processor\n    name: {ru: Курьерская', '    kind: third-party\n    name: {ru: Курьерская'])), 'recipient-kind-changed');
      assert.deepEqual([change.kind, change.purposes, change.affectsConsents], ['material', ['orders'], false]);
    });

    it('a transfer abroad that comes to rest on consent is material and renews its consents', () => {
      const scc = from(['safeguard: consent', 'safeguard: scc']);
      const change = single(diffPolicies(scc, sharing), 'recipient-safeguard-weakened');
      assert.deepEqual(
        { kind: change.kind, path: change.path, purposes: change.purposes, affectsConsents: change.affectsConsents },
        { kind: 'material', path: 'recipients[mailer].safeguard', purposes: ['newsletter'], affectsConsents: true },
      );
      assert.match(change.message, /"mailer" in DE now rest on consent \(was scc\)/);

      const strengthened = diffPolicies(sharing, scc);
      assert.deepEqual([single(strengthened, 'recipient-details-changed').kind, isMaterial(strengthened)], ['editorial', false]);
      const lateral = diffPolicies(scc, from(['safeguard: consent', 'safeguard: adequacy']));
      assert.equal(isMaterial(lateral), false, 'one protective mechanism for another weakens nothing');
    });
  });

  it('moving the database abroad is material for every purpose', () => {
    const changes = diffPolicies(base, edit(['jurisdictions: [KZ]', 'jurisdictions: [EU]'], ['storageRegion: KZ', 'storageRegion: DE'], ['{kz: contract}', '{gdpr: contract}'], ['{kz: consent}', '{gdpr: consent}'], ['    country: KZ\n  - id: mailer', '    country: KZ\n    safeguard: scc\n  - id: mailer'], ['    country: KZ\ncookies', '    country: KZ\n    safeguard: scc\ncookies']));
    const change = single(changes, 'storage-region-changed');
    assert.equal(change.kind, 'material');
    assert.deepEqual(change.purposes, ['orders', 'newsletter']);
    assert.equal(change.affectsConsents, true);
    assert.match(single(changes, 'cross-border-transfer-added').message, /"courier" in KZ/);
  });

  it('longer retention is material; shorter is editorial', () => {
    const longer = single(diffPolicies(base, edit(['{duration: P3Y, from: contract-ended}', '{duration: P5Y, from: contract-ended}'])), 'retention-extended');
    assert.equal(longer.kind, 'material');
    assert.match(longer.message, /P3Y from contract-ended → P5Y from contract-ended/);
    const shorter = single(diffPolicies(base, edit(['{duration: P3Y, from: contract-ended}', '{duration: P36M, from: collected}'])), 'retention-changed');
    assert.equal(shorter.kind, 'material', 'another start event cannot be shown to be shorter');
    const shortened = single(diffPolicies(base, edit(['{duration: P3Y, from: contract-ended}', '{duration: P18M, from: contract-ended}'])), 'retention-shortened');
    assert.equal(shortened.kind, 'editorial');
  });

  it('unlimited retention outlasts everything', () => {
    const change = single(diffPolicies(base, edit(['{duration: P1Y, from: consent-withdrawn}', 'unlimited'])), 'retention-extended');
    assert.deepEqual([change.kind, change.affectsConsents], ['material', true]);
  });

  it('a changed or new legal basis is material; a removed one is editorial', () => {
    const changed = single(diffPolicies(base, edit(['{kz: contract}', '{kz: law}'])), 'legal-basis-changed');
    assert.equal(changed.kind, 'material');
    assert.equal(changed.path, 'purposes[orders].legalBasis.kz');
    assert.match(changed.message, /contract → law/);

    const withCcpa = edit(['jurisdictions: [KZ]', 'jurisdictions: [KZ, US-CA]'], ['{kz: contract}', '{kz: contract, ccpa: performing-services}'], ['{kz: consent}', '{kz: consent, ccpa: advertising-services}']);
    const added = diffPolicies(base, withCcpa).filter((c) => c.code === 'legal-basis-changed');
    assert.deepEqual(added.map((c) => c.purposes[0]), ['orders', 'newsletter']);
    assert.deepEqual(added.map((c) => c.affectsConsents), [false, true]);

    const removed = diffPolicies(withCcpa, base).filter((c) => c.code === 'legal-basis-removed');
    assert.ok(removed.length === 2 && removed.every((c) => c.kind === 'editorial'));
  });

  it('a wider consent scope is material; a narrower one editorial', () => {
    const wider = diffPolicies(base, edit(['thirdParties: false', 'thirdParties: true'], ['validity: P1Y', 'validity: until-purpose-achieved']));
    const change = single(wider, 'consent-scope-widened');
    assert.deepEqual([change.kind, change.affectsConsents], ['material', true]);
    assert.match(change.message, /thirdParties now true; validity P1Y → until purpose achieved/);
    assert.equal(single(diffPolicies(base, edit(['separate: true', 'separate: false'])), 'consent-scope-widened').kind, 'material');
    assert.equal(single(diffPolicies(base, edit(['validity: P1Y', 'validity: P6M'])), 'consent-scope-narrowed').kind, 'editorial');
  });

  it('new operations widen a consent purpose', () => {
    const narrowed = edit(['    marketing: true', '    operations: [collection, storage, use, transfer]\n    marketing: true']);
    const change = single(diffPolicies(narrowed, base), 'operations-added');
    assert.deepEqual([change.kind, change.affectsConsents], ['material', true]);
    assert.equal(single(diffPolicies(base, narrowed), 'operations-removed').kind, 'editorial');
  });

  it('removals are reported as editorial narrowing', () => {
    const withoutNewsletter = compile(BASE.replace(/  - id: newsletter[\s\S]*?recipients: \[mailer\]\n/, ''));
    const changes = diffPolicies(base, withoutNewsletter);
    const removed = single(changes, 'purpose-removed');
    assert.deepEqual([removed.kind, removed.purposes], ['editorial', ['newsletter']]);
    assert.equal(isMaterial(changes), false);
    assert.equal(single(diffPolicies(base, edit(['    recipients: [courier]\n', ''])), 'recipient-removed').kind, 'editorial');
  });

  it('a changed value type is an editorial change of the category definition', () => {
    const change = single(diffPolicies(base, edit(['  - user.name\n', '  - {id: user.name, valueType: json}\n'])), 'category-definition-changed');
    assert.equal(change.kind, 'editorial');
    assert.match(change.message, /value type/);
    assert.deepEqual(change.purposes, ['orders']);
  });

  it('wording, contacts, cookies and the version label are editorial', () => {
    const changes = diffPolicies(
      base,
      edit(
        ['{ru: Заказы, en: Orders}', '{ru: Оформление заказов, en: Order processing}'],
        ['privacy@shop.kz', 'dpo@shop.kz'],
        ['duration: session}', 'duration: session}\n  - {name: _ym_uid, provider: Yandex Metrica, category: analytics, duration: P1Y}'],
        ['version: "1"', 'version: "2"'],
      ),
    );
    assert.deepEqual(changes.map((c) => c.code).sort(), ['cookies-changed', 'operator-details-changed', 'purpose-text-changed', 'version-label-changed']);
    assert.ok(changes.every((c) => c.kind === 'editorial' && !c.affectsConsents));
    assert.deepEqual(single(changes, 'purpose-text-changed').purposes, ['orders']);
  });

  it('lists material changes before editorial ones', () => {
    const changes = diffPolicies(base, edit(['version: "1"', 'version: "2"'], ['{duration: P3Y, from: contract-ended}', 'unlimited']));
    assert.deepEqual(changes.map((c) => c.kind), ['material', 'editorial']);
  });
});

describe('compareRetention', () => {
  const years = (n: number, from: 'collected' | 'account-closed' = 'collected') => ({ kind: 'duration' as const, duration: `P${n}Y`, from });

  it('compares durations from the same event, months and years alike', () => {
    assert.equal(compareRetention(years(1), { kind: 'duration', duration: 'P12M', from: 'collected' }), 'same');
    assert.equal(compareRetention(years(1), years(2)), 'longer');
    assert.equal(compareRetention(years(2), { kind: 'duration', duration: 'P30D', from: 'collected' }), 'shorter');
    assert.equal(compareRetention(years(1), years(1, 'account-closed')), 'incomparable');
  });

  it('treats while-account-active as nothing after the account closes', () => {
    assert.equal(compareRetention({ kind: 'while-account-active' }, years(1, 'account-closed')), 'longer');
    assert.equal(compareRetention(years(1, 'account-closed'), { kind: 'while-account-active' }), 'shorter');
  });

  it('ranks unlimited above everything and until-purpose-achieved as incomparable', () => {
    assert.equal(compareRetention({ kind: 'until-purpose-achieved' }, { kind: 'unlimited' }), 'longer');
    assert.equal(compareRetention({ kind: 'unlimited' }, years(50)), 'shorter');
    assert.equal(compareRetention({ kind: 'until-purpose-achieved' }, years(1)), 'incomparable');
  });
});

describe('policy diff command', () => {
  it('prints material then editorial changes with affected purposes, or JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'custodian-diff-'));
    try {
      const before = join(dir, 'v1.policy.yaml');
      const after = join(dir, 'v2.policy.yaml');
      const broken = join(dir, 'broken.policy.yaml');
      await writeFile(before, BASE);
      await writeFile(after, BASE.replace('version: "1"', 'version: "2"').replace('{duration: P1Y, from: consent-withdrawn}', '{duration: P2Y, from: consent-withdrawn}'));
      await writeFile(broken, BASE.replace('    retention: {duration: P3Y, from: contract-ended}\n', ''));

      const text = await diffPolicyFiles(before, after);
      assert.equal(text.exitCode, 0);
      assert.deepEqual(text.lines, [
        'Material changes (1):',
        '  retention-extended  purposes[newsletter].retention: Purpose "newsletter" keeps data longer: P1Y from consent-withdrawn → P2Y from consent-withdrawn [purposes: newsletter] [consents need renewal]',
        'Editorial changes (1):',
        '  version-label-changed  version: Version label changed',
        'Consents to renew: newsletter',
      ]);

      const json = await diffPolicyFiles(before, after, { json: true });
      const parsed = JSON.parse(json.lines.join('\n')) as { material: boolean; changes: PolicyChange[] };
      assert.equal(parsed.material, true);
      assert.deepEqual(parsed.changes.map((c) => c.code), ['retention-extended', 'version-label-changed']);

      assert.deepEqual((await diffPolicyFiles(before, before)).lines, ['No changes.']);

      const failed = await diffPolicyFiles(before, broken);
      assert.equal(failed.exitCode, 1);
      assert.match(failed.lines[0]!, /broken\.policy\.yaml:\d+:5: error: .*\[retention-missing\]$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
