/**
 * The content of each built-in notice section, built from the compiled policy. Section
 * order and numbering live in `notice.ts`; this file decides what each section says.
 */
import {
  DATA_SOURCES,
  localize,
  type ContactPoint,
  type Entity,
  type Jurisdiction,
  type Locale,
  type LocalizedText,
  type Policy,
  type PolicyIndex,
  type Purpose,
  type Recipient,
  type RetentionRule,
  type RightsChannel,
} from '../model.js';
import { homeRegion, isCrossBorder } from '../../law/transfers.js';
import { noticeJurisdictions } from '../../law/applicable.js';
import { answerDeadlines, describeDeadline, termInWords, type AnswerDeadline } from './deadlines.js';
import { LAW_ID_OF } from '../../law/applicable.js';
import { obligationRule, rightOf, RULE_PACKS } from '../../law/index.js';
import {
  emailLink,
  joinPhrases,
  link,
  paragraphs,
  phrase,
  strong,
  table,
  type Block,
  type DefinitionItem,
  type Phrase,
} from './document.js';
import { durationInWords, formatDate } from './durations.js';
import { describeArt9, describeBasis, statedBases, type BasisLaw } from './legal-bases.js';
import { fillTemplate, type DefinitionSet, type Messages, type NoticeSectionId } from './messages.js';
import { rightsUnder, type Citation } from './rights.js';

export interface NoticeContext {
  policy: Policy;
  index: PolicyIndex;
  locale: Locale;
  m: Messages;
  /** Laws that apply to the operator or any group company, in `JURISDICTIONS` order. */
  laws: Jurisdiction[];
  /** Number of each built-in section present in this notice, for cross-references. */
  sectionNumber(id: NoticeSectionId): number;
  version?: { number: number; publishedAt?: string };
}

/** Builds the blocks of a section; `sub` numbers its subsections. */
export type SectionBuilder = (ctx: NoticeContext, sub: SubsectionFactory) => Block[];
export type SubsectionFactory = (id: string, title: string, blocks: Block[]) => Block;

/** The laws the notice speaks about: every jurisdiction of the operator and its group (the law module decides). */
export const applicableLaws: (policy: Policy) => Jurisdiction[] = noticeJurisdictions;

function text(ctx: NoticeContext, value: LocalizedText | undefined): string {
  return localize(value, ctx.locale, ctx.policy.defaultLocale);
}

/** A country's name in the reader's language; `ZZ` marks a recipient whose country the operator did not state. */
function countryName(ctx: NoticeContext, code: string): string {
  if (code === 'ZZ') return ctx.m.general.unspecifiedCountry;
  return new Intl.DisplayNames([ctx.locale], { type: 'region' }).of(code) ?? code;
}

/** Several values in one place, e.g. the categories of a purpose in one table cell. */
function joinText(ctx: NoticeContext, parts: readonly string[]): Phrase {
  return joinPhrases(
    parts.map((p) => [p]),
    ctx.m.listSeparator,
  );
}

/** The name by which GDPR bases are labelled: "GDPR", "UK GDPR" or both. */
function gdprLabel(ctx: NoticeContext): string {
  const gdpr = ctx.laws.filter((l) => l === 'EU' || l === 'UK');
  if (gdpr.length === 0) return ctx.m.laws.EU.short;
  return gdpr.map((l) => ctx.m.laws[l].short).join(', ');
}

function basisLawLabel(ctx: NoticeContext, law: BasisLaw): string {
  switch (law) {
    case 'kz':
      return ctx.m.laws.KZ.short;
    case 'ru':
      return ctx.m.laws.RU.short;
    case 'gdpr':
      return gdprLabel(ctx);
    case 'ccpa':
      return ctx.m.laws['US-CA'].short;
  }
}

function gdprCitationLaw(ctx: NoticeContext): Jurisdiction {
  return ctx.laws.includes('EU') || !ctx.laws.includes('UK') ? 'EU' : 'UK';
}

function cite(ctx: NoticeContext, citation: Citation): string {
  return citation.regulation
    ? fillTemplate(ctx.m.ccpaRegulationCite, { section: citation.article })
    : fillTemplate(ctx.m.laws[citation.law].cite, { article: citation.article });
}

function purposeTitles(ctx: NoticeContext, ids: readonly string[]): string[] {
  return ids.map((id) => text(ctx, ctx.index.purpose(id)?.title) || id);
}

function categoryTitles(ctx: NoticeContext, ids: readonly string[]): string[] {
  return ids.map((id) => text(ctx, ctx.index.category(id)?.title) || id);
}

/** A contact point on one line: name, address, e-mail, phone, website. */
function contactPhrase(ctx: NoticeContext, contact: ContactPoint): Phrase {
  const parts: Phrase[] = [];
  if (contact.name) parts.push([text(ctx, contact.name)]);
  if (contact.address) parts.push([text(ctx, contact.address)]);
  if (contact.email) parts.push([emailLink(contact.email)]);
  if (contact.phone) parts.push([contact.phone]);
  if (contact.website) parts.push([link(contact.website)]);
  return joinPhrases(parts, ctx.m.listSeparator);
}

function registrationLabel(ctx: NoticeContext, scheme: string): string {
  const schemes = ctx.m.general.registrationSchemes;
  const key = scheme.toUpperCase();
  return key in schemes ? schemes[key as keyof typeof schemes] : scheme;
}

/** The operator's identity and contacts as a definition list. */
function entityDetails(ctx: NoticeContext, entity: Entity): DefinitionItem[] {
  const labels = ctx.m.general.labels;
  const items: DefinitionItem[] = [{ term: [labels.name], details: [text(ctx, entity.name)] }];
  for (const r of entity.registrations) items.push({ term: [registrationLabel(ctx, r.scheme)], details: [r.value] });
  const address = entity.address ?? entity.contacts.address;
  if (address) items.push({ term: [labels.address], details: [text(ctx, address)] });
  if (entity.contacts.email) items.push({ term: [labels.email], details: [emailLink(entity.contacts.email)] });
  if (entity.contacts.phone) items.push({ term: [labels.phone], details: [entity.contacts.phone] });
  if (entity.contacts.website) items.push({ term: [labels.website], details: [link(entity.contacts.website)] });
  if (entity.country) items.push({ term: [labels.country], details: [countryName(ctx, entity.country)] });
  if (entity.responsiblePerson) items.push({ term: [labels.responsiblePerson], details: contactPhrase(ctx, entity.responsiblePerson) });
  if (entity.dpo) items.push({ term: [labels.dpo], details: contactPhrase(ctx, entity.dpo) });
  return items;
}

export const operatorSection: SectionBuilder = (ctx, sub) => {
  const { m, policy } = ctx;
  const operator = text(ctx, policy.operator.name);
  const blocks: Block[] = [
    { kind: 'paragraph', content: phrase(m.general.intro, { operator: strong(operator) }) },
    { kind: 'list', items: ctx.laws.map((law) => [m.laws[law].title]) },
  ];
  if (policy.policyUrl) blocks.push({ kind: 'paragraph', content: phrase(m.general.publishedAt, { url: link(policy.policyUrl) }) });

  const details = entityDetails(ctx, policy.operator);
  if (policy.operator.storageRegion) {
    details.push({
      term: [m.general.labels.storage],
      details: [fillTemplate(m.general.storage, { country: countryName(ctx, policy.operator.storageRegion) })],
    });
  }
  blocks.push(sub('operator-details', m.general.operatorTitle, [{ kind: 'definitions', items: details }]));

  if (policy.group.length > 0) {
    const labels = m.general.labels;
    blocks.push(
      sub('operator-group', m.general.groupTitle, [
        { kind: 'paragraph', content: phrase(m.general.groupIntro, { operator }) },
        table(
          m.general.groupCaption,
          [labels.name, labels.role, labels.country, labels.registrations, labels.contacts],
          policy.group.map((entity) => [
            [text(ctx, entity.name)],
            [m.general.roles[entity.role]],
            [entity.country ? countryName(ctx, entity.country) : ''],
            joinText(
              ctx,
              entity.registrations.map((r) => `${registrationLabel(ctx, r.scheme)} ${r.value}`),
            ),
            contactPhrase(ctx, { ...entity.contacts, address: entity.address ?? entity.contacts.address }),
          ]),
        ),
      ]),
    );
  }
  return blocks;
};

/** Which term set each law uses; EU and UK share the GDPR's. */
function definitionSets(laws: readonly Jurisdiction[]): Array<{ set: DefinitionSet; laws: Jurisdiction[] }> {
  const sets: Array<{ set: DefinitionSet; laws: Jurisdiction[] }> = [];
  const add = (set: DefinitionSet, law: Jurisdiction) => {
    const existing = sets.find((s) => s.set === set);
    if (existing) existing.laws.push(law);
    else sets.push({ set, laws: [law] });
  };
  for (const law of laws) add(law === 'KZ' ? 'kz' : law === 'RU' ? 'ru' : law === 'US-CA' ? 'ccpa' : 'gdpr', law);
  return sets;
}

export const definitionsSection: SectionBuilder = (ctx, sub) => {
  const { m } = ctx;
  return [
    { kind: 'paragraph', content: [m.definitions.intro] },
    ...definitionSets(ctx.laws).map(({ set, laws }) =>
      sub(`definitions-${set}`, fillTemplate(m.definitions.setTitle, { law: laws.map((l) => m.laws[l].short).join(', ') }), [
        {
          kind: 'definitions',
          items: m.definitions.sets[set].map((d) => ({ term: [d.term], details: [d.definition] })),
        },
      ]),
    ),
  ];
};

export const dataSection: SectionBuilder = (ctx, sub) => {
  const { m, policy } = ctx;
  const blocks: Block[] = [];
  if (policy.subjects.length > 0) {
    blocks.push(
      sub('data-subjects', m.data.subjectsTitle, [
        { kind: 'paragraph', content: [m.data.subjectsIntro] },
        {
          kind: 'list',
          items: policy.subjects.map((s) => (s.description ? [strong(text(ctx, s.title)), ' — ', text(ctx, s.description)] : [text(ctx, s.title)])),
        },
      ]),
    );
  }
  blocks.push(
    sub('data-categories', m.data.categoriesTitle, [
      table(
        m.data.categoriesCaption,
        [m.data.columns.category, m.data.columns.description, m.data.columns.notes],
        policy.categories.map((c) => [
          [text(ctx, c.title)],
          [text(ctx, c.description)],
          joinText(ctx, [
            ...(c.identifier ? [m.data.flags.identifier] : []),
            ...(c.special ? [m.data.flags.special] : []),
            ...(c.restricted ? [m.data.flags.restricted] : []),
          ]),
        ]),
      ),
    ]),
  );
  const sources = DATA_SOURCES.filter((source) => policy.purposes.some((p) => p.sources.includes(source)));
  if (sources.length > 0) {
    blocks.push(
      sub('data-sources', m.data.sourcesTitle, [
        { kind: 'paragraph', content: [m.data.sourcesIntro] },
        {
          kind: 'list',
          items: sources.map((source) =>
            phrase(m.data.sourceForPurposes, {
              source: strong(m.data.sources[source]),
              purposes: joinText(
                ctx,
                purposeTitles(
                  ctx,
                  policy.purposes.filter((p) => p.sources.includes(source)).map((p) => p.id),
                ),
              ),
            }),
          ),
        },
      ]),
    );
  }
  return blocks;
};

/** "Special categories of personal data: your explicit consent (GDPR art. 9(2)(a))." */
function art9Text(ctx: NoticeContext, value: string): string {
  const condition = describeArt9(value, ctx.m, gdprCitationLaw(ctx));
  const cited = condition.citation ? `${condition.title} (${cite(ctx, condition.citation)})` : condition.title;
  return fillTemplate(ctx.m.legalBases.gdprArt9, { condition: cited });
}

function basesCell(ctx: NoticeContext, purpose: Purpose): Phrase {
  const lines: Phrase[] = statedBases(purpose.legalBasis).map(({ law, value }) => {
    const basis = describeBasis(law, value, ctx.m, gdprCitationLaw(ctx));
    const citation = basis.citation ? ` (${cite(ctx, basis.citation)})` : '';
    return [`${basisLawLabel(ctx, law)}: ${basis.title}${citation}`];
  });
  if (purpose.legalBasis.gdprArt9) lines.push([art9Text(ctx, purpose.legalBasis.gdprArt9)]);
  if (purpose.legalBasis.explanation) lines.push([text(ctx, purpose.legalBasis.explanation)]);
  return joinPhrases(lines, { kind: 'break' });
}

export const purposesSection: SectionBuilder = (ctx) => {
  const { m, policy } = ctx;
  const columns = m.purposes.columns;
  return [
    { kind: 'paragraph', content: [m.purposes.intro] },
    table(
      m.purposes.caption,
      [columns.purpose, columns.data, columns.grounds, columns.processing],
      policy.purposes.map((p) => {
        const purposeLines: Phrase[] = [[text(ctx, p.title)]];
        if (p.description) purposeLines.push([text(ctx, p.description)]);
        if (p.subjects.length > 0) {
          const subjects = p.subjects.map((id) => text(ctx, policy.subjects.find((s) => s.id === id)?.title) || id);
          purposeLines.push([fillTemplate(m.purposes.subjects, { subjects: subjects.join(m.listSeparator) })]);
        }
        if (p.marketing) purposeLines.push([m.purposes.marketing]);
        return [
          joinPhrases(purposeLines, { kind: 'break' }),
          joinText(ctx, categoryTitles(ctx, p.categories)),
          basesCell(ctx, p),
          joinPhrases(
            [joinText(ctx, p.operations.map((o) => m.purposes.operations[o])), ...(p.automated ? [[m.purposes.automated]] : [])],
            { kind: 'break' },
          ),
        ];
      }),
    ),
  ];
};

/** How long a consent is valid, in words; without a term it lasts until the purpose is achieved (94-V art. 8(4)). */
function validityText(ctx: NoticeContext, validity: string | undefined): string {
  return validity ? durationInWords(validity, ctx.locale) : ctx.m.legalBases.untilPurposeAchieved;
}

export const legalBasesSection: SectionBuilder = (ctx, sub) => {
  const { m, policy } = ctx;
  const lb = m.legalBases;
  const blocks: Block[] = [{ kind: 'paragraph', content: [lb.intro] }];
  const basisLaws: BasisLaw[] = ['kz', 'ru', 'gdpr', 'ccpa'];
  for (const law of basisLaws) {
    const values = [...new Set(policy.purposes.flatMap((p) => (p.legalBasis[law] ? [p.legalBasis[law]] : [])))];
    if (values.length === 0) continue;
    const items: Phrase[] = values.map((value) => {
      const basis = describeBasis(law, value, m, gdprCitationLaw(ctx));
      const used = purposeTitles(
        ctx,
        policy.purposes.filter((p) => p.legalBasis[law] === value).map((p) => p.id),
      );
      const title = basis.citation ? `${basis.title} (${cite(ctx, basis.citation)})` : basis.title;
      return [
        strong(title),
        ...(basis.explanation ? [' — ', basis.explanation] : []),
        ' ',
        fillTemplate(lb.usedFor, { purposes: used.join(m.listSeparator) }),
      ];
    });
    if (law === 'gdpr') {
      for (const p of policy.purposes) {
        if (p.legalBasis.gdprArt9) {
          items.push([
            strong(art9Text(ctx, p.legalBasis.gdprArt9)),
            ' ',
            fillTemplate(lb.usedFor, { purposes: text(ctx, p.title) }),
          ]);
        }
      }
    }
    const intro: Block[] = law === 'ccpa' ? [{ kind: 'paragraph', content: [lb.ccpaIntro] }] : [];
    blocks.push(sub(`legal-bases-${law}`, basisLawLabel(ctx, law), [...intro, { kind: 'list', items }]));
  }

  const consented = policy.purposes.filter((p) => p.consent);
  if (consented.length > 0) {
    const c = lb.consentColumns;
    const yesNo = (value: boolean) => [value ? lb.yes : lb.no];
    blocks.push(
      sub('legal-bases-consent', lb.consentTitle, [
        { kind: 'paragraph', content: [lb.consentIntro] },
        table(
          lb.consentCaption,
          [c.purpose, c.separate, c.validity, c.thirdParties, c.crossBorder, c.publicDissemination],
          consented.map((p) => {
            const consent = p.consent!;
            return [
              [text(ctx, p.title)],
              yesNo(consent.separate),
              [validityText(ctx, consent.validity)],
              yesNo(consent.thirdParties),
              yesNo(consent.crossBorder),
              yesNo(consent.publicDissemination),
            ];
          }),
        ),
        { kind: 'paragraph', content: [fillTemplate(lb.consentWithdrawal, { section: ctx.sectionNumber('rights') })] },
      ]),
    );
  }
  return blocks;
};

/** Whether the notice states a transfer to `recipient` as cross-border: the gate's rule, from `law/transfers.ts`. */
function isAbroad(policy: Policy, recipient: Recipient): boolean {
  return isCrossBorder(recipient.country, homeRegion(policy.operator));
}

export const recipientsSection: SectionBuilder = (ctx, sub) => {
  const { m, policy } = ctx;
  const r = m.recipients;
  if (policy.recipients.length === 0) return [{ kind: 'paragraph', content: [r.none] }];

  const blocks: Block[] = [
    { kind: 'paragraph', content: [r.intro] },
    table(
      r.caption,
      [r.columns.recipient, r.columns.kind, r.columns.country, r.columns.purposes, r.columns.data, r.columns.safeguard],
      policy.recipients.map((recipient) => [
        joinPhrases(
          [[text(ctx, recipient.name)], ...(recipient.description ? [[text(ctx, recipient.description)]] : [])],
          { kind: 'break' },
        ),
        [r.kinds[recipient.kind]],
        [countryName(ctx, recipient.country)],
        joinText(ctx, purposeTitles(ctx, recipient.purposes)),
        joinText(ctx, categoryTitles(ctx, recipient.categories)),
        [isAbroad(policy, recipient) ? r.safeguards[recipient.safeguard ?? 'none'] : r.domestic],
      ]),
    ),
  ];

  const transfers = policy.recipients.filter((recipient) => isAbroad(policy, recipient));
  const crossBorder: Block[] = [];
  if (transfers.length === 0) {
    crossBorder.push({ kind: 'paragraph', content: [r.noCrossBorder] });
  } else {
    crossBorder.push(
      { kind: 'paragraph', content: [r.crossBorderIntro] },
      {
        kind: 'list',
        items: transfers.map((recipient) => [
          fillTemplate(r.crossBorderItem, {
            country: countryName(ctx, recipient.country),
            recipients: text(ctx, recipient.name),
            safeguard: r.safeguards[recipient.safeguard ?? 'none'],
          }),
        ]),
      },
    );
    if (ctx.laws.includes('KZ')) crossBorder.push({ kind: 'paragraph', content: [r.crossBorderRules.KZ] });
    if (ctx.laws.includes('RU')) crossBorder.push({ kind: 'paragraph', content: [r.crossBorderRules.RU] });
    if (ctx.laws.includes('EU') || ctx.laws.includes('UK')) {
      crossBorder.push({
        kind: 'paragraph',
        content: [fillTemplate(r.crossBorderRules.GDPR, { section: ctx.sectionNumber('contacts') })],
      });
    }
  }
  blocks.push(sub('recipients-cross-border', r.crossBorderTitle, crossBorder));
  return blocks;
};

/**
 * A retention rule in words: "1 year from collection", "until the purpose of
 * processing is achieved", "unlimited".
 */
export function retentionText(rule: RetentionRule, m: Messages, locale: Locale): string {
  switch (rule.kind) {
    case 'duration':
      return fillTemplate(m.retention.from[rule.from], { duration: durationInWords(rule.duration, locale) });
    case 'until-purpose-achieved':
      return m.retention.untilPurposeAchieved;
    case 'while-account-active':
      return m.retention.whileAccountActive;
    case 'unlimited':
      return m.retention.unlimited;
  }
}

export const retentionSection: SectionBuilder = (ctx) => {
  const { m, policy } = ctx;
  const r = m.retention;
  const blocks: Block[] = [
    { kind: 'paragraph', content: [r.intro] },
    table(
      r.caption,
      [r.columns.purpose, r.columns.period, r.columns.end],
      policy.purposes.map((p) => [[text(ctx, p.title)], [retentionText(p.retention, m, ctx.locale)], [r.endActions[p.endAction]]]),
    ),
    { kind: 'paragraph', content: [r.earlyEnd] },
  ];
  if (ctx.laws.includes('KZ')) blocks.push({ kind: 'paragraph', content: [r.lawRules.KZ] });
  if (ctx.laws.includes('RU')) blocks.push({ kind: 'paragraph', content: [r.lawRules.RU] });
  if (ctx.laws.includes('EU') || ctx.laws.includes('UK')) blocks.push({ kind: 'paragraph', content: [r.lawRules.GDPR] });
  if (ctx.laws.includes('US-CA')) blocks.push({ kind: 'paragraph', content: [r.lawRules['US-CA']] });
  return blocks;
};

function channelPhrase(ctx: NoticeContext, channel: RightsChannel): Phrase {
  const r = ctx.m.rights;
  let main: Phrase;
  switch (channel.kind) {
    case 'self-service':
      main = phrase(r.selfService, { url: link(channel.url) });
      break;
    case 'email':
      main = channel.subjectMarker
        ? phrase(r.emailWithMarker, { address: emailLink(channel.address), marker: strong(channel.subjectMarker) })
        : phrase(r.email, { address: emailLink(channel.address) });
      break;
    case 'post':
      main = phrase(r.post, { address: text(ctx, channel.address) });
      break;
    case 'phone':
      main = phrase(r.phone, { number: channel.number });
      break;
    case 'web-form':
      main = phrase(r.webForm, { url: link(channel.url) });
      break;
  }
  return channel.description ? [...main, ' — ', text(ctx, channel.description)] : main;
}

/** A deadline sentence closed by its citations: "… within 1 month (GDPR art. 12(3))." */
function deadlineSentence(ctx: NoticeContext, deadline: AnswerDeadline, citations: readonly Citation[]): string {
  const sentence = describeDeadline(deadline, ctx.locale).replace(/\.$/, '');
  return `${sentence} (${citations.map((c) => cite(ctx, c)).join(ctx.m.listSeparator)}).`;
}

/**
 * One table of answer deadlines per law. EU and UK GDPR set the same clock, so when both
 * apply they share a table citing both; the UK's pause rule follows it.
 */
function deadlineBlocks(ctx: NoticeContext): Block[] {
  const { m } = ctx;
  const r = m.rights;
  const mergeUk = ctx.laws.includes('EU') && ctx.laws.includes('UK');
  const blocks: Block[] = [];
  for (const law of ctx.laws) {
    const clocks = answerDeadlines(law);
    const rows = clocks
      .filter((d) => d.rights.length > 0 && !(mergeUk && law === 'UK'))
      .map((d) => {
        const citations = mergeUk && law === 'EU' ? [d.citation, { ...d.citation, law: 'UK' as const }] : [d.citation];
        return [joinText(ctx, d.rights.map((right) => r.titles[right].title)), [deadlineSentence(ctx, d, citations)]];
      });
    if (rows.length > 0) {
      const label = mergeUk && law === 'EU' ? gdprLabel(ctx) : m.laws[law].short;
      blocks.push(table(fillTemplate(r.deadlinesCaption, { law: label }), [r.deadlineColumns.request, r.deadlineColumns.deadline], rows));
    }
    for (const rule of clocks.filter((d) => d.rights.length === 0)) {
      blocks.push({ kind: 'paragraph', content: [deadlineSentence(ctx, rule, [rule.citation])] });
    }
  }
  return blocks;
}

export const rightsSection: SectionBuilder = (ctx, sub) => {
  const { m, policy } = ctx;
  const r = m.rights;
  const blocks: Block[] = [];

  blocks.push(
    sub('rights-list', r.caption, [
      { kind: 'paragraph', content: [r.intro] },
      table(
        r.caption,
        [r.columns.right, r.columns.meaning, r.columns.law],
        rightsUnder(ctx.laws).map(({ right, citations }) => [
          [r.titles[right].title],
          [r.titles[right].description],
          joinText(
            ctx,
            citations.map((c) => cite(ctx, c)),
          ),
        ]),
      ),
    ]),
  );

  const channels: Block[] =
    policy.rightsChannels.length > 0
      ? [
          { kind: 'paragraph', content: [r.exerciseIntro] },
          { kind: 'list', items: policy.rightsChannels.map((channel) => channelPhrase(ctx, channel)) },
        ]
      : [{ kind: 'paragraph', content: [fillTemplate(r.noChannels, { section: ctx.sectionNumber('contacts') })] }];
  blocks.push(sub('rights-exercise', r.exerciseTitle, [...channels, ...handlingBlocks(ctx)]));

  blocks.push(sub('rights-deadlines', r.deadlinesTitle, [{ kind: 'paragraph', content: [r.deadlinesIntro] }, ...deadlineBlocks(ctx), ...operatorTermBlocks(ctx)]));

  blocks.push(sub('rights-complaints', r.complaintsTitle, complaintBlocks(ctx)));
  return blocks;
};

/**
 * What the operator declares about handling requests (`rightsHandling`): identity checks,
 * representatives, fees, consequences. Nothing is said that the policy does not declare.
 */
function handlingBlocks(ctx: NoticeContext): Block[] {
  const r = ctx.m.rights;
  const rh = ctx.policy.rightsHandling;
  if (!rh) return [];
  const blocks: Block[] = [];
  const paragraph = (content: Phrase): Block => ({ kind: 'paragraph', content });
  const identity: Phrase = [];
  if (rh.verification) {
    const methods = rh.verification.methods.filter((m) => m !== 'none');
    identity.push(methods.length === 0 ? r.identityNone : fillTemplate(r.identityMethods, { methods: methods.map((m) => r.verificationMethods[m]).join(ctx.m.listSeparator) }));
    if (rh.verification.description) identity.push(' ', text(ctx, rh.verification.description));
  }
  if (rh.authorizedAgents) {
    if (identity.length > 0) identity.push(' ');
    identity.push(rh.authorizedAgents.accepted ? r.agentsAccepted : r.agentsRefused);
    if (rh.authorizedAgents.accepted && rh.authorizedAgents.proof) identity.push(' ', text(ctx, rh.authorizedAgents.proof));
  }
  if (identity.length > 0) blocks.push(paragraph(identity));
  if (rh.free === true) blocks.push(paragraph([r.free]));
  if (rh.fee) blocks.push(paragraph(phrase(r.fee, { fee: text(ctx, rh.fee) })));
  if (rh.consequences.length > 0) {
    blocks.push(paragraph([r.consequencesIntro]));
    blocks.push({ kind: 'list', items: rh.consequences.map((c) => phrase(r.consequence, { request: r.requestNames[c.request], text: text(ctx, c.text) })) });
  }
  return blocks;
}

/** The operator's own shorter answer terms, each beside the law's (from the law module). */
function operatorTermBlocks(ctx: NoticeContext): Block[] {
  const r = ctx.m.rights;
  const laws = new Set(ctx.laws.map((j) => LAW_ID_OF[j]));
  const terms = (ctx.policy.rightsHandling?.answerTerms ?? []).filter((t) => laws.has(t.law) && rightOf(t.law, t.request));
  if (terms.length === 0) return [];
  return [
    { kind: 'paragraph', content: [r.operatorTermsIntro] },
    {
      kind: 'list',
      items: terms.map((t) => {
        const lawTerm = obligationRule(t.law, rightOf(t.law, t.request)!.obligation).term;
        return [
          fillTemplate(r.operatorTerm, {
            law: ctx.m.laws[RULE_PACKS[t.law].jurisdiction].short,
            request: r.requestNames[t.request],
            term: termInWords(t.term, ctx.locale),
            lawTerm: termInWords(lawTerm, ctx.locale),
          }),
        ];
      }),
    },
  ];
}

/** Appeal to the operator, the declared regulators, and each law's complaint route. */
function complaintBlocks(ctx: NoticeContext): Block[] {
  const r = ctx.m.rights;
  const rh = ctx.policy.rightsHandling;
  const blocks: Block[] = [];
  if (rh?.appeal) {
    const content: Phrase = phrase(r.appeal, { process: text(ctx, rh.appeal.process) });
    if (rh.appeal.contact) content.push(' ', ...phrase(r.appealContact, { contact: rh.appeal.contact.includes('@') ? emailLink(rh.appeal.contact) : rh.appeal.contact }));
    blocks.push({ kind: 'paragraph', content });
  }
  const items: Phrase[] = ctx.laws.map((law) => [r.complaints[law]]);
  for (const regulator of rh?.regulators ?? []) {
    const name = text(ctx, regulator.name);
    items.push(phrase(r.regulator, { law: ctx.m.laws[regulator.jurisdiction].short, name: regulator.url ? [link(regulator.url, name)] : name }));
  }
  blocks.push({ kind: 'list', items });
  return blocks;
}

export const cookiesSection: SectionBuilder = (ctx) => {
  const { m, policy } = ctx;
  const c = m.cookies;
  return [
    { kind: 'paragraph', content: [c.intro] },
    table(
      c.caption,
      [c.columns.name, c.columns.provider, c.columns.category, c.columns.duration, c.columns.purpose],
      policy.cookies.map((cookie) => [
        [cookie.name],
        [cookie.provider],
        [c.categories[cookie.category]],
        [cookie.duration === 'session' ? c.session : durationInWords(cookie.duration, ctx.locale)],
        [text(ctx, cookie.purpose)],
      ]),
    ),
  ];
};

export const securitySection: SectionBuilder = (ctx) => {
  const own = ctx.policy.security ? paragraphs(text(ctx, ctx.policy.security)) : [];
  return [...own, { kind: 'paragraph', content: [ctx.m.security.system] }];
};

export const contactsSection: SectionBuilder = (ctx) => {
  const { m, policy } = ctx;
  return [
    { kind: 'paragraph', content: [m.contacts.intro] },
    { kind: 'definitions', items: entityDetails(ctx, policy.operator) },
    { kind: 'paragraph', content: [fillTemplate(m.contacts.rightsPointer, { section: ctx.sectionNumber('rights') })] },
  ];
};

export const changesSection: SectionBuilder = (ctx, sub) => {
  const { m, policy, version } = ctx;
  const c = m.changes;
  const items: DefinitionItem[] = [
    { term: [c.labels.version], details: [version ? String(version.number) : m.document.draft] },
  ];
  if (policy.version) items.push({ term: [c.labels.revision], details: [policy.version] });
  if (policy.effectiveDate) items.push({ term: [c.labels.effective], details: [formatDate(policy.effectiveDate, ctx.locale)] });
  if (version?.publishedAt) items.push({ term: [c.labels.published], details: [formatDate(version.publishedAt, ctx.locale)] });
  return [
    { kind: 'paragraph', content: [c.intro] },
    { kind: 'paragraph', content: [c.material] },
    sub('changes-version', c.versionTitle, [{ kind: 'definitions', items }]),
  ];
};

export const SECTION_BUILDERS: Readonly<Record<NoticeSectionId, SectionBuilder>> = {
  operator: operatorSection,
  definitions: definitionsSection,
  data: dataSection,
  purposes: purposesSection,
  'legal-bases': legalBasesSection,
  recipients: recipientsSection,
  retention: retentionSection,
  rights: rightsSection,
  cookies: cookiesSection,
  security: securitySection,
  contacts: contactsSection,
  changes: changesSection,
};
