/**
 * What changed between two policy versions, and whether it matters to the people whose data
 * are processed. A *material* change widens what happens to personal data — a new purpose,
 * a new category or recipient under a consent purpose, a new cross-border transfer, a
 * processor turned controller, a transfer abroad left resting on consent, longer
 * retention, a new or changed legal basis — and consents it touches need renewal. An
 * *editorial* change alters wording, contacts or cookies text, or narrows processing
 * (removals are reported so the changelog is complete, but never force a renewal).
 */
import { isDeepStrictEqual } from 'node:util';
import { homeRegion, isCrossBorder } from '../law/transfers.js';
import type { LegalBasis, Policy, Purpose, Recipient, RetentionRule } from './model.js';

export interface PolicyChange {
  kind: 'material' | 'editorial';
  /** Stable identifier of the kind of change, e.g. `retention-extended`. */
  code: string;
  /** Where, by id rather than index (indexes shift between versions): `purposes[marketing].retention`. */
  path: string;
  /** English description for the changelog. */
  message: string;
  /** Ids of the purposes the change affects. */
  purposes: string[];
  /** Existing consents to an affected purpose need renewal. */
  affectsConsents: boolean;
}

/**
 * Material changes that widen a purpose by one element — a category, an operation, a
 * source, a recipient, what a recipient receives, who it is or how a transfer to it is
 * safeguarded. A consent given before keeps covering everything else its notice said; only
 * the new element waits for a new consent (the gate compares the two notices). Every other
 * material change under a consent purpose (longer retention, a new basis, wider consent
 * scope, marketing or automated decisions added, a new storage country) needs the whole
 * consent again.
 */
export const ELEMENT_WIDENINGS: ReadonlySet<string> = new Set([
  'category-added',
  'operations-added',
  'source-added',
  'recipient-added',
  'cross-border-transfer-added',
  'recipient-categories-added',
  'recipient-kind-changed',
  'recipient-safeguard-weakened',
]);

export function isMaterial(changes: readonly PolicyChange[]): boolean {
  return changes.some((c) => c.kind === 'material');
}

/** ISO 8601 duration in days; months and years at their Gregorian mean length. */
function durationDays(iso: string): number {
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso);
  if (!match) return Number.NaN;
  const [y, mo, w, d, h, mi, s] = match.slice(1).map((n) => Number(n ?? 0)) as [number, number, number, number, number, number, number];
  return y * 365.2425 + mo * 30.436875 + w * 7 + d + h / 24 + mi / 1440 + s / 86400;
}

export type RetentionComparison = 'same' | 'longer' | 'shorter' | 'incomparable';

/**
 * Compares how long two rules keep data. `unlimited` outlasts everything;
 * `while-account-active` counts as zero time after `account-closed`; durations compare
 * when they run from the same event. Anything else (e.g. `until-purpose-achieved` against a
 * fixed period) is incomparable, which the diff treats as material: it cannot show the
 * change is not an extension.
 *
 * @example compareRetention({kind: 'duration', duration: 'P1Y', from: 'collected'},
 *                           {kind: 'duration', duration: 'P18M', from: 'collected'}) // 'longer'
 */
export function compareRetention(a: RetentionRule, b: RetentionRule): RetentionComparison {
  if (isDeepStrictEqual(a, b)) return 'same';
  if (b.kind === 'unlimited') return 'longer';
  if (a.kind === 'unlimited') return 'shorter';
  const span = (rule: RetentionRule) =>
    rule.kind === 'duration'
      ? { from: rule.from, days: durationDays(rule.duration) }
      : rule.kind === 'while-account-active'
        ? { from: 'account-closed', days: 0 }
        : undefined;
  const sa = span(a);
  const sb = span(b);
  if (!sa || !sb || sa.from !== sb.from) return 'incomparable';
  return sb.days > sa.days ? 'longer' : sb.days < sa.days ? 'shorter' : 'same';
}

function describeRetention(rule: RetentionRule): string {
  return rule.kind === 'duration' ? `${rule.duration} from ${rule.from}` : rule.kind;
}

/** Consent validity in days; absent means until the purpose is achieved, the longest allowed. */
const validityDays = (validity: string | undefined) => (validity === undefined ? Number.POSITIVE_INFINITY : durationDays(validity));

const LEGAL_BASIS_KEYS = ['gdpr', 'gdprArt9', 'kz', 'ru', 'ccpa'] as const satisfies readonly (keyof LegalBasis)[];

const added = <T>(before: readonly T[], after: readonly T[]) => after.filter((x) => !before.includes(x));
const removed = <T>(before: readonly T[], after: readonly T[]) => before.filter((x) => !after.includes(x));

/**
 * Lists the changes from version `a` to version `b`, material ones first.
 *
 * @example
 * const changes = diffPolicies(published, draft);
 * if (isMaterial(changes)) markConsentsForRenewal(changes.filter((c) => c.affectsConsents));
 */
export function diffPolicies(a: Policy, b: Policy): PolicyChange[] {
  const changes: PolicyChange[] = [];
  const push = (change: PolicyChange) => changes.push(change);
  const homeA = homeRegion(a.operator);
  const homeB = homeRegion(b.operator);
  const recipientsA = new Map(a.recipients.map((r) => [r.id, r]));
  const recipientsB = new Map(b.recipients.map((r) => [r.id, r]));
  const purposesA = new Map(a.purposes.map((p) => [p.id, p]));

  for (const purpose of b.purposes) {
    const before = purposesA.get(purpose.id);
    if (!before) {
      push({
        kind: 'material',
        code: 'purpose-added',
        path: `purposes[${purpose.id}]`,
        message: `New purpose "${purpose.id}" (${purpose.title.en ?? purpose.id}) processing ${purpose.categories.join(', ')}`,
        purposes: [purpose.id],
        affectsConsents: false,
      });
      continue;
    }
    diffPurpose(before, purpose, { recipientsA, recipientsB, homeA, homeB, push });
  }
  for (const purpose of a.purposes) {
    if (!b.purposes.some((p) => p.id === purpose.id)) {
      push(editorial('purpose-removed', `purposes[${purpose.id}]`, `Purpose "${purpose.id}" removed`, [purpose.id]));
    }
  }

  diffRecipients(a, b, push);
  diffCategories(a, b, push);
  diffEntities(a, b, push);
  diffPlainSections(a, b, push);

  return [...changes.filter((c) => c.kind === 'material'), ...changes.filter((c) => c.kind === 'editorial')];
}

function editorial(code: string, path: string, message: string, purposes: string[] = []): PolicyChange {
  return { kind: 'editorial', code, path, message, purposes, affectsConsents: false };
}

interface PurposeContext {
  recipientsA: Map<string, Recipient>;
  recipientsB: Map<string, Recipient>;
  homeA: string | undefined;
  homeB: string | undefined;
  push(change: PolicyChange): void;
}

function diffPurpose(a: Purpose, b: Purpose, ctx: PurposeContext): void {
  const at = `purposes[${b.id}]`;
  const underConsent = b.consent !== undefined;
  const renewal = underConsent && a.consent !== undefined;
  /** Widening under a consent purpose is material; elsewhere it is a notice update. */
  const widening = (code: string, path: string, message: string): PolicyChange =>
    underConsent
      ? { kind: 'material', code, path, message, purposes: [b.id], affectsConsents: renewal }
      : editorial(code, path, message, [b.id]);
  const material = (code: string, path: string, message: string): PolicyChange => ({
    kind: 'material',
    code,
    path,
    message,
    purposes: [b.id],
    affectsConsents: renewal,
  });

  const newCategories = added(a.categories, b.categories);
  if (newCategories.length > 0) {
    ctx.push(widening('category-added', `${at}.categories`, `Purpose "${b.id}" now also processes ${newCategories.join(', ')}`));
  }
  const droppedCategories = removed(a.categories, b.categories);
  if (droppedCategories.length > 0) {
    ctx.push(editorial('category-removed', `${at}.categories`, `Purpose "${b.id}" no longer processes ${droppedCategories.join(', ')}`, [b.id]));
  }

  const transfersBefore = new Set(
    a.recipients.flatMap((id) => {
      const r = ctx.recipientsA.get(id);
      return r && isCrossBorder(r.country, ctx.homeA) ? [`${id}|${r.country}`] : [];
    }),
  );
  for (const id of b.recipients) {
    const recipient = ctx.recipientsB.get(id)!;
    const isNew = !a.recipients.includes(id);
    if (isCrossBorder(recipient.country, ctx.homeB) && !transfersBefore.has(`${id}|${recipient.country}`)) {
      ctx.push(
        material(
          'cross-border-transfer-added',
          `${at}.recipients`,
          `Purpose "${b.id}" now transfers data to ${isNew ? 'new recipient ' : ''}"${id}" in ${recipient.country} (safeguard: ${recipient.safeguard ?? 'none'})`,
        ),
      );
    } else if (isNew) {
      ctx.push(widening('recipient-added', `${at}.recipients`, `Purpose "${b.id}" now discloses data to "${id}" (${recipient.kind})`));
    }
  }
  const droppedRecipients = removed(a.recipients, b.recipients);
  if (droppedRecipients.length > 0) {
    ctx.push(editorial('recipient-removed', `${at}.recipients`, `Purpose "${b.id}" no longer discloses data to ${droppedRecipients.join(', ')}`, [b.id]));
  }

  const retention = compareRetention(a.retention, b.retention);
  const retentionChange = `${describeRetention(a.retention)} → ${describeRetention(b.retention)}`;
  if (retention === 'longer') ctx.push(material('retention-extended', `${at}.retention`, `Purpose "${b.id}" keeps data longer: ${retentionChange}`));
  if (retention === 'incomparable') {
    ctx.push(material('retention-changed', `${at}.retention`, `Purpose "${b.id}" changes its retention rule (${retentionChange}); it may keep data longer`));
  }
  if (retention === 'shorter') {
    ctx.push(editorial('retention-shortened', `${at}.retention`, `Purpose "${b.id}" keeps data for less time: ${retentionChange}`, [b.id]));
  }

  for (const key of LEGAL_BASIS_KEYS) {
    const before = a.legalBasis[key];
    const after = b.legalBasis[key];
    if (before === after) continue;
    if (after === undefined) {
      ctx.push(editorial('legal-basis-removed', `${at}.legalBasis.${key}`, `Purpose "${b.id}" no longer states a ${key} basis (was ${before})`, [b.id]));
    } else {
      ctx.push(
        material('legal-basis-changed', `${at}.legalBasis.${key}`, `Purpose "${b.id}" ${key} basis: ${before === undefined ? `added ${after}` : `${before} → ${after}`}`),
      );
    }
  }

  if (a.consent && b.consent) {
    const wider: string[] = [];
    const narrower: string[] = [];
    for (const flag of ['thirdParties', 'crossBorder', 'publicDissemination'] as const) {
      if (!a.consent[flag] && b.consent[flag]) wider.push(`${flag} now true`);
      if (a.consent[flag] && !b.consent[flag]) narrower.push(`${flag} now false`);
    }
    if (a.consent.separate && !b.consent.separate) wider.push('no longer asked separately');
    if (!a.consent.separate && b.consent.separate) narrower.push('now asked separately');
    const validity = [validityDays(a.consent.validity), validityDays(b.consent.validity)] as const;
    const validityText = `validity ${a.consent.validity ?? 'until purpose achieved'} → ${b.consent.validity ?? 'until purpose achieved'}`;
    if (validity[1] > validity[0]) wider.push(validityText);
    if (validity[1] < validity[0]) narrower.push(validityText);
    if (wider.length > 0) ctx.push(material('consent-scope-widened', `${at}.consent`, `Consent for "${b.id}" covers more: ${wider.join('; ')}`));
    if (narrower.length > 0) {
      ctx.push(editorial('consent-scope-narrowed', `${at}.consent`, `Consent for "${b.id}" covers less: ${narrower.join('; ')}`, [b.id]));
    }
  }

  const newOperations = added(a.operations, b.operations);
  if (newOperations.length > 0) {
    ctx.push(widening('operations-added', `${at}.operations`, `Purpose "${b.id}" now allows ${newOperations.join(', ')}`));
  }
  const droppedOperations = removed(a.operations, b.operations);
  if (droppedOperations.length > 0) {
    ctx.push(editorial('operations-removed', `${at}.operations`, `Purpose "${b.id}" no longer allows ${droppedOperations.join(', ')}`, [b.id]));
  }

  if (!a.automated && b.automated) {
    ctx.push(material('automated-decisions-added', `${at}.automated`, `Purpose "${b.id}" now makes automated decisions with legal effect`));
  }

  const textFields: string[] = (['title', 'description'] as const).filter((f) => !isDeepStrictEqual(a[f], b[f]));
  if (!isDeepStrictEqual(a.legalBasis.explanation, b.legalBasis.explanation)) textFields.push('legalBasis.explanation');
  if (textFields.length > 0) {
    ctx.push(editorial('purpose-text-changed', at, `Purpose "${b.id}": ${textFields.join(', ')} reworded`, [b.id]));
  }
  const newSources = added(a.sources, b.sources);
  if (newSources.length > 0) {
    ctx.push(widening('source-added', `${at}.sources`, `Purpose "${b.id}" now also collects data from ${newSources.join(', ')} sources`));
  }
  if (!a.marketing && b.marketing) {
    ctx.push(widening('marketing-use-added', `${at}.marketing`, `Purpose "${b.id}" is now used for marketing`));
  }
  const details: string[] = (['subjects', 'endAction'] as const).filter((f) => !isDeepStrictEqual(a[f], b[f]));
  if (removed(a.sources, b.sources).length > 0) details.push('sources');
  if (a.marketing && !b.marketing) details.push('marketing');
  if (a.automated && !b.automated) details.push('automated');
  if (details.length > 0) {
    ctx.push(editorial('purpose-details-changed', at, `Purpose "${b.id}": ${details.join(', ')} changed`, [b.id]));
  }
}

function diffRecipients(a: Policy, b: Policy, push: (change: PolicyChange) => void): void {
  const before = new Map(a.recipients.map((r) => [r.id, r]));
  const consentPurposes = new Set(b.purposes.filter((p) => p.consent).map((p) => p.id));
  const renewable = new Set(a.purposes.filter((p) => p.consent).map((p) => p.id));
  for (const recipient of b.recipients) {
    const old = before.get(recipient.id);
    if (!old) continue; // reported per purpose
    const at = `recipients[${recipient.id}]`;
    const newCategories = added(old.categories, recipient.categories);
    if (newCategories.length > 0) {
      const underConsent = recipient.purposes.filter((id) => consentPurposes.has(id));
      const message = `Recipient "${recipient.id}" now receives ${newCategories.join(', ')}`;
      push(
        underConsent.length > 0
          ? {
              kind: 'material',
              code: 'recipient-categories-added',
              path: `${at}.categories`,
              message,
              purposes: recipient.purposes,
              affectsConsents: underConsent.some((id) => renewable.has(id)),
            }
          : editorial('recipient-categories-added', `${at}.categories`, message, recipient.purposes),
      );
    }
    // Who the recipient is and how a transfer abroad is safeguarded decide what a consent
    // must cover (94-V art. 7(6)): a processor turned third party, or a transfer that now
    // rests on the person's consent, is not what the person agreed to. Material wherever
    // it happens, as the notice must say so (GDPR art. 13(1)(e)-(f)); consents need renewal
    // where a consent purpose uses the recipient.
    const affectsConsents = recipient.purposes.some((id) => consentPurposes.has(id) && renewable.has(id));
    const roleWidened = roleWidens(old.kind, recipient.kind);
    const safeguardWeakened = isCrossBorder(recipient.country, homeRegion(b.operator)) && safeguardRank(recipient.safeguard) > safeguardRank(old.safeguard);
    if (roleWidened) {
      const message = `Recipient "${recipient.id}" is now a ${recipient.kind} (was a ${old.kind})`;
      push({ kind: 'material', code: 'recipient-kind-changed', path: `${at}.kind`, message, purposes: recipient.purposes, affectsConsents });
    }
    if (safeguardWeakened) {
      const message = `Transfers to "${recipient.id}" in ${recipient.country} now rest on ${recipient.safeguard ?? 'no safeguard'} (was ${old.safeguard ?? 'none'})`;
      push({ kind: 'material', code: 'recipient-safeguard-weakened', path: `${at}.safeguard`, message, purposes: recipient.purposes, affectsConsents });
    }
    const fields = (['name', 'description', 'kind', 'country', 'safeguard'] as const).filter(
      (f) => !isDeepStrictEqual(old[f], recipient[f]) && !(f === 'kind' && roleWidened) && !(f === 'safeguard' && safeguardWeakened),
    );
    if (fields.length > 0) {
      push(editorial('recipient-details-changed', at, `Recipient "${recipient.id}": ${fields.join(', ')} changed`, recipient.purposes));
    }
  }
}

/**
 * How far data leave the operator's control: a processor acts on its instructions; a
 * group company, and further a third party, decide for themselves. An authority acts under
 * its own powers and ranks against none of them, so any move to or from it counts.
 */
const ROLE_REACH: Partial<Record<Recipient['kind'], number>> = { processor: 0, 'group-company': 1, 'third-party': 2 };

export function roleWidens(before: Recipient['kind'], after: Recipient['kind']): boolean {
  if (before === after) return false;
  const [a, b] = [ROLE_REACH[before], ROLE_REACH[after]];
  return a === undefined || b === undefined || b > a;
}

/**
 * Adequacy, SCCs, BCRs, a treaty or a law protect a transfer abroad whatever the person
 * does; the person's own consent (GDPR art. 49(1)(a), 94-V art. 7(6)) protects less, and
 * nothing protects least. Moving among the first group weakens nothing.
 */
export function safeguardRank(safeguard: Recipient['safeguard']): number {
  return safeguard === undefined || safeguard === 'none' ? 2 : safeguard === 'consent' ? 1 : 0;
}

function diffCategories(a: Policy, b: Policy, push: (change: PolicyChange) => void): void {
  const before = new Map(a.categories.map((c) => [c.id, c]));
  for (const category of b.categories) {
    const old = before.get(category.id);
    if (old && !isDeepStrictEqual(old, category)) {
      const users = b.purposes.filter((p) => p.categories.includes(category.id)).map((p) => p.id);
      push(editorial('category-definition-changed', `categories[${category.id}]`, `Data category "${category.id}" title, description, flags or value type changed`, users));
    }
  }
}

function diffEntities(a: Policy, b: Policy, push: (change: PolicyChange) => void): void {
  const regionBefore = homeRegion(a.operator);
  const regionAfter = homeRegion(b.operator);
  if (regionBefore !== regionAfter) {
    push({
      kind: 'material',
      code: 'storage-region-changed',
      path: 'operator.storageRegion',
      message: `Personal data will be stored in ${regionAfter ?? 'an unstated country'} instead of ${regionBefore ?? 'an unstated country'}`,
      purposes: b.purposes.map((p) => p.id),
      affectsConsents: b.purposes.some((p) => p.consent && a.purposes.some((q) => q.id === p.id && q.consent)),
    });
  }
  const operatorFields = (Object.keys({ ...a.operator, ...b.operator }) as (keyof Policy['operator'])[]).filter(
    (f) => f !== 'storageRegion' && !isDeepStrictEqual(a.operator[f], b.operator[f]),
  );
  if (operatorFields.length > 0) {
    push(editorial('operator-details-changed', 'operator', `Operator details changed: ${operatorFields.join(', ')}`));
  }
  const groupBefore = new Map(a.group.map((g) => [g.id, g]));
  for (const entity of b.group) {
    const old = groupBefore.get(entity.id);
    if (!old) push(editorial('group-entity-added', `group[${entity.id}]`, `Group entity "${entity.id}" added as ${entity.role}`));
    else if (!isDeepStrictEqual(old, entity)) push(editorial('group-entity-changed', `group[${entity.id}]`, `Group entity "${entity.id}" details changed`));
  }
  for (const entity of a.group) {
    if (!b.group.some((g) => g.id === entity.id)) push(editorial('group-entity-removed', `group[${entity.id}]`, `Group entity "${entity.id}" removed`));
  }
}

/** Sections that only change what the notice says, compared as wholes. */
function diffPlainSections(a: Policy, b: Policy, push: (change: PolicyChange) => void): void {
  const sections = [
    ['cookies', 'cookies-changed', 'Cookies and trackers list changed'],
    ['rightsChannels', 'rights-channels-changed', 'Channels for exercising rights changed'],
    ['rightsHandling', 'rights-handling-changed', 'How rights requests are handled changed (answer terms, identity checks, agents, appeal, regulators, fees)'],
    ['notice', 'notice-text-changed', 'Additional notice text changed'],
    ['security', 'security-text-changed', 'Security measures text changed'],
    ['subjects', 'subject-categories-changed', 'Data subject categories changed'],
    ['locales', 'locales-changed', 'Published languages changed'],
    ['defaultLocale', 'locales-changed', 'Default language changed'],
    ['policyUrl', 'policy-url-changed', 'Policy URL changed'],
    ['version', 'version-label-changed', 'Version label changed'],
    ['effectiveDate', 'effective-date-changed', 'Effective date changed'],
  ] as const;
  for (const [field, code, message] of sections) {
    if (!isDeepStrictEqual(a[field], b[field])) push(editorial(code, field, message));
  }
}
