/**
 * The notice as a small document tree, independent of the output format. `notice.ts`
 * builds it once; `html.ts` and `markdown.ts` serialize it. Keeping one tree is what
 * makes the HTML and Markdown notices say the same thing.
 *
 * Text in the tree is plain: each serializer escapes it for its own format.
 */
import type { Locale } from '../model.js';

export type Inline =
  | string
  | { kind: 'strong'; text: string }
  | { kind: 'link'; text: string; href: string }
  /** A line break inside a table cell or list item. */
  | { kind: 'break' };

export type Phrase = Inline[];

export interface DefinitionItem {
  term: Phrase;
  details: Phrase;
}

export type Block =
  | { kind: 'paragraph'; content: Phrase }
  | { kind: 'list'; items: Phrase[] }
  | { kind: 'definitions'; items: DefinitionItem[] }
  /** The first cell of every row is the row's header. */
  | { kind: 'table'; caption: string; columns: string[]; rows: Phrase[][] }
  | { kind: 'subsection'; id: string; number: string; title: string; blocks: Block[] };

export interface Section {
  id: string;
  number: number;
  title: string;
  blocks: Block[];
}

export interface NoticeDocument {
  locale: Locale;
  title: string;
  /** The `<title>` of the HTML page. */
  pageTitle: string;
  /** Lines under the heading: operator, version, dates. */
  byline: Phrase[];
  tableOfContents: string;
  sections: Section[];
}

const URL_SCHEMES = /^(https?:|mailto:)/i;

/**
 * A link when the address is one a reader can safely follow; plain text otherwise, so a
 * policy cannot smuggle a `javascript:` URL into the notice.
 */
export function link(href: string, text: string = href): Inline {
  if (!URL_SCHEMES.test(href)) return text;
  try {
    new URL(href);
  } catch {
    return text;
  }
  return { kind: 'link', href, text };
}

export function emailLink(address: string): Inline {
  return link(`mailto:${address}`, address);
}

export function strong(text: string): Inline {
  return { kind: 'strong', text };
}

/**
 * Fills a message template whose placeholders take text, links or whole phrases.
 *
 * @example phrase('Write to {email}.', { email: emailLink('info@wadjet.kz') })
 */
export function phrase(template: string, values: Readonly<Record<string, Inline | Phrase>>): Phrase {
  const out: Phrase = [];
  let last = 0;
  for (const match of template.matchAll(/\{([a-zA-Z]+)\}/g)) {
    const value = values[match[1]!];
    if (value === undefined) throw new Error(`Message template needs a value for {${match[1]}}: ${template}`);
    if (match.index > last) out.push(template.slice(last, match.index));
    if (Array.isArray(value)) out.push(...value);
    else out.push(value);
    last = match.index + match[0].length;
  }
  if (last < template.length) out.push(template.slice(last));
  return out;
}

/** Joins phrases with a separator, e.g. a list of categories in one table cell. */
export function joinPhrases(parts: readonly Phrase[], separator: Inline): Phrase {
  return parts.flatMap((part, i) => (i === 0 ? part : [separator, ...part]));
}

function isEmpty(cell: Phrase): boolean {
  return cell.every((inline) => typeof inline === 'string' && inline.trim() === '');
}

/**
 * A table without the columns no row fills (a group whose companies list no registration
 * numbers gets no empty "Registration" column). The first, row-header column always stays.
 */
export function table(caption: string, columns: string[], rows: Phrase[][]): Block {
  const keep = columns.map((_, i) => i === 0 || rows.some((row) => !isEmpty(row[i] ?? [])));
  return {
    kind: 'table',
    caption,
    columns: columns.filter((_, i) => keep[i]),
    rows: rows.map((row) => row.filter((_, i) => keep[i])),
  };
}

/** Splits operator-written text into paragraphs at blank lines. */
export function paragraphs(text: string): Block[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => ({ kind: 'paragraph', content: [p] }));
}
