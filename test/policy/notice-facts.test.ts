/**
 * Each example policy, compiled and rendered in every locale and format, must still say
 * what its seed policy says. The facts in `facts/` were read off the seeds in
 * shared/seeds/, not off the example files, so a fact the example leaves out fails here
 * just as one the renderer drops. A missing example or compiler fails too: a skipped
 * check would hide exactly the gap it exists to find.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOCALES, type Locale, type Policy } from '../../src/policy/model.js';
import { renderNotice } from '../../src/policy/render/notice.js';
import smartCommunications from './facts/smart-communications.facts.js';
import smartProtect from './facts/smart-protect.facts.js';
import smartist from './facts/smartist.facts.js';
import smartthings from './facts/smartthings.facts.js';
import wadjet from './facts/wadjet.facts.js';

export type FactMatcher = string | RegExp;

/** A promise a seed makes, as the notice must word it in each locale. */
export interface NoticeFact {
  /** What the seed says, with its clause, for the failure message. */
  fact: string;
  match: FactMatcher | Readonly<Record<Locale, FactMatcher>>;
}

const EXAMPLES: Readonly<Record<string, readonly NoticeFact[]>> = {
  smartist,
  smartthings,
  'smart-protect': smartProtect,
  'smart-communications': smartCommunications,
  wadjet,
};

/** The words a reader sees in the HTML: tags dropped, entities decoded, spaces collapsed. */
function htmlText(html: string): string {
  return html
    .replace(/<head>[\s\S]*?<\/head>/, '')
    .replace(/<br>/g, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** The words a reader sees in the Markdown: table rules, escapes, emphasis and link targets dropped. */
function markdownText(md: string): string {
  return md
    .replace(/^\|( --- \|)+$/gm, '')
    .replace(/(?<!\\)\|/g, ' ')
    .replace(/<br>/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*\*/g, '')
    .replace(/\\([\\`*_[\]<>#|~&.+=)-])/g, '$1')
    .replace(/\s+/g, ' ');
}

function matches(text: string, matcher: FactMatcher): boolean {
  return typeof matcher === 'string' ? text.includes(matcher) : matcher.test(text);
}

function matcherFor(fact: NoticeFact, locale: Locale): FactMatcher {
  return typeof fact.match === 'string' || fact.match instanceof RegExp ? fact.match : fact.match[locale];
}

/** Loads the compiler lazily, so that a missing compiler fails each example's test rather than the whole file. */
async function loadExample(name: string): Promise<Policy> {
  const { loadPolicyFile } = await import('../../src/policy/compile.js');
  return loadPolicyFile(new URL(`../../examples/${name}.policy.yaml`, import.meta.url).pathname);
}

for (const [example, facts] of Object.entries(EXAMPLES)) {
  describe(`${example}: the notice states the seed's facts`, () => {
    it('has facts to check', () => assert.ok(facts.length >= 10, `${facts.length} facts`));

    for (const locale of LOCALES) {
      for (const format of ['html', 'md'] as const) {
        it(`${locale} ${format}`, async () => {
          const policy = await loadExample(example);
          const rendered = renderNotice(policy, { locale, format, version: { number: 1, publishedAt: '2026-01-15' } });
          const text = format === 'html' ? htmlText(rendered) : markdownText(rendered);
          const missing = facts.filter((fact) => !matches(text, matcherFor(fact, locale))).map((f) => `${f.fact} — ${matcherFor(f, locale)}`);
          assert.deepEqual(missing, [], `${missing.length} of ${facts.length} facts missing from the ${locale} ${format} notice of ${example}`);
        });
      }
    }
  });
}
