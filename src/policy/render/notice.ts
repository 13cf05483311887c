/**
 * Renders a compiled policy as the notice a person reads, in English, Russian or
 * Kazakh, as a standalone HTML page or as Markdown. The notice follows the structure of
 * Kazakh and Russian operator policies (seed 004): general provisions, definitions of
 * the applicable law, the data, a purposes table, legal grounds, recipients, retention,
 * rights with answer deadlines, cookies, security, contacts and changes. Everything the
 * notice states is derived from the policy and the applicable laws, so what it promises
 * is what the rest of Custodian enforces.
 *
 * @example
 * const policy = await loadPolicyFile('examples/wadjet.policy.yaml');
 * const html = renderNotice(policy, { locale: 'kk', format: 'html', version: { number: 3 } });
 */
import { indexPolicy, localize, NOTICE_PLACEMENTS, type Locale, type Policy } from '../model.js';
import { paragraphs, strong, type Block, type NoticeDocument, type Phrase, type Section } from './document.js';
import { formatDate } from './durations.js';
import { toHtml } from './html.js';
import { toMarkdown } from './markdown.js';
import { fillTemplate, messagesFor, NOTICE_SECTION_IDS, type NoticeSectionId } from './messages.js';
import { applicableLaws, SECTION_BUILDERS, type NoticeContext, type SubsectionFactory } from './sections.js';

export { NOTICE_SECTION_IDS, type NoticeSectionId } from './messages.js';

export interface NoticeOptions {
  locale: Locale;
  format: 'html' | 'md';
  /** The published version the notice shows; absent for a draft preview. */
  version?: { number: number; /** ISO 8601 date or date-time. */ publishedAt?: string };
}

/**
 * Built-in sections a policy has content for. A policy without cookies gets no cookies
 * section (rather than a claim that it uses none), and one without an applicable law
 * has no definitions to give.
 */
function presentSections(policy: Policy, laws: readonly string[]): NoticeSectionId[] {
  return NOTICE_SECTION_IDS.filter((id) => {
    if (id === 'cookies') return policy.cookies.length > 0;
    if (id === 'definitions') return laws.length > 0;
    return true;
  });
}

type PlannedSection =
  | { kind: 'built-in'; id: NoticeSectionId }
  | { kind: 'extra'; id: string; noticeIndex: number };

/**
 * The order of sections: built-in ones, each followed by the operator's titled extra
 * sections placed after it. An extra placed after a section this notice omits keeps its
 * place in the sequence.
 */
function planSections(policy: Policy, present: readonly NoticeSectionId[]): PlannedSection[] {
  // The compiler refuses unknown placements (`unknown-notice-section`); a version published
  // before it did may still hold one, and a notice that silently drops text misleads.
  for (const extra of policy.notice) {
    if (!(NOTICE_PLACEMENTS as readonly string[]).includes(extra.after)) {
      throw new Error(`Notice section placed after unknown section "${extra.after}"; expected one of ${NOTICE_PLACEMENTS.join(', ')}`);
    }
  }
  const titledAfter = (after: string): PlannedSection[] =>
    policy.notice.flatMap((extra, noticeIndex) =>
      extra.after === after && extra.title ? [{ kind: 'extra' as const, id: `notice-${noticeIndex + 1}`, noticeIndex }] : [],
    );
  return [
    ...NOTICE_SECTION_IDS.flatMap((id) => [
      ...(present.includes(id) ? [{ kind: 'built-in' as const, id }] : []),
      ...titledAfter(id),
    ]),
    ...titledAfter('end'),
  ];
}

/**
 * Builds the notice as a document tree, for callers that lay it out themselves (the
 * privacy center embeds the sections in its own page).
 */
export function buildNotice(policy: Policy, options: Omit<NoticeOptions, 'format'>): NoticeDocument {
  const { locale, version } = options;
  const m = messagesFor(locale);
  const laws = applicableLaws(policy);
  const text = (value: Parameters<typeof localize>[0]) => localize(value, locale, policy.defaultLocale);

  const present = presentSections(policy, laws);
  const plan = planSections(policy, present);
  const numbers = new Map<string, number>(plan.map((planned, i) => [planned.id, i + 1]));
  const ctx: NoticeContext = {
    policy,
    index: indexPolicy(policy),
    locale,
    m,
    laws,
    version,
    sectionNumber: (id) => {
      const number = numbers.get(id);
      if (number === undefined) throw new Error(`The notice has no "${id}" section to refer to`);
      return number;
    },
  };

  const sections: Section[] = plan.map((planned, i) => {
    const number = i + 1;
    let subsections = 0;
    const sub: SubsectionFactory = (id, title, blocks) => ({
      kind: 'subsection',
      id,
      number: `${number}.${++subsections}`,
      title,
      blocks,
    });
    if (planned.kind === 'extra') {
      const extra = policy.notice[planned.noticeIndex]!;
      return { id: planned.id, number, title: text(extra.title), blocks: paragraphs(text(extra.text)) };
    }
    return { id: planned.id, number, title: m.sections[planned.id], blocks: SECTION_BUILDERS[planned.id](ctx, sub) };
  });

  appendUntitledExtras(policy, sections, text);

  const operator = text(policy.operator.name);
  const byline: Phrase[] = [[strong(operator)]];
  byline.push([version ? fillTemplate(m.document.version, { number: version.number }) : m.document.draft]);
  if (policy.version) byline.push([fillTemplate(m.document.revision, { label: policy.version })]);
  if (policy.effectiveDate) byline.push([fillTemplate(m.document.effective, { date: formatDate(policy.effectiveDate, locale) })]);
  if (version?.publishedAt) byline.push([fillTemplate(m.document.published, { date: formatDate(version.publishedAt, locale) })]);

  return {
    locale,
    title: m.document.title,
    pageTitle: fillTemplate(m.document.htmlTitle, { title: m.document.title, operator }),
    byline,
    tableOfContents: m.document.tableOfContents,
    sections,
  };
}

/**
 * Untitled extra text continues the section it is placed after; placed after an omitted
 * section, it continues the nearest earlier one; placed at the `end`, the last built-in one.
 */
function appendUntitledExtras(policy: Policy, sections: Section[], text: (value: Policy['notice'][number]['text']) => string): void {
  for (const extra of policy.notice) {
    if (extra.title) continue;
    const blocks: Block[] = paragraphs(text(extra.text));
    const limit = extra.after === 'end' ? NOTICE_SECTION_IDS.length : NOTICE_SECTION_IDS.indexOf(extra.after as NoticeSectionId);
    const target = [...sections].reverse().find((s) => {
      const position = NOTICE_SECTION_IDS.indexOf(s.id as NoticeSectionId);
      return position !== -1 && position <= limit;
    });
    target?.blocks.push(...blocks);
  }
}

/**
 * Renders the notice for one locale and format. Text the operator wrote is escaped
 * for the format; nothing in the output loads a script or an external resource.
 */
export function renderNotice(policy: Policy, options: NoticeOptions): string {
  const doc = buildNotice(policy, options);
  return options.format === 'html' ? toHtml(doc) : toMarkdown(doc);
}
