/**
 * The notice as GitHub-flavoured Markdown, for repositories, wikis and e-mail. Operator
 * text is backslash-escaped so it cannot inject HTML, links or table cells.
 */
import type { Block, Inline, NoticeDocument, Phrase, Section } from './document.js';

/**
 * Escapes the characters Markdown could read as inline syntax, newlines included (a
 * table row or list item must stay on one line).
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/[\\`*_[\]<>#|~&]/g, (c) => `\\${c}`);
}

/** Also escapes what would start a list, a heading underline or a numbered item at the start of a block. */
function escapeBlockStart(markdown: string): string {
  return markdown.replace(/^([-+=])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
}

function destination(href: string): string {
  return href.replace(/[\s()<>]/g, (c) => encodeURIComponent(c));
}

function inline(node: Inline): string {
  if (typeof node === 'string') return escapeMarkdown(node);
  switch (node.kind) {
    case 'strong':
      return `**${escapeMarkdown(node.text)}**`;
    case 'link':
      return `[${escapeMarkdown(node.text)}](${destination(node.href)})`;
    case 'break':
      return '<br>';
  }
}

function phraseMarkdown(content: Phrase): string {
  return content.map(inline).join('');
}

/**
 * GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens; repeated
 * headings get `-1`, `-2`.
 */
function slugger(): (heading: string) => string {
  const seen = new Map<string, number>();
  return (heading) => {
    const base = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}-${count}`;
  };
}

function block(node: Block, out: string[]): void {
  switch (node.kind) {
    case 'paragraph':
      out.push(escapeBlockStart(phraseMarkdown(node.content)), '');
      return;
    case 'list':
      out.push(...node.items.map((item) => `- ${phraseMarkdown(item)}`), '');
      return;
    case 'definitions':
      out.push(...node.items.map((item) => `- **${phraseMarkdown(item.term)}** — ${phraseMarkdown(item.details)}`), '');
      return;
    case 'table': {
      const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
      out.push(`*${escapeMarkdown(node.caption)}*`, '');
      out.push(row(node.columns.map(escapeMarkdown)), row(node.columns.map(() => '---')));
      for (const cells of node.rows) out.push(row(cells.map(phraseMarkdown)));
      out.push('');
      return;
    }
    case 'subsection':
      out.push(`### ${escapeMarkdown(`${node.number} ${node.title}`)}`, '');
      for (const child of node.blocks) block(child, out);
      return;
  }
}

function section(node: Section, out: string[]): void {
  out.push(`## ${escapeMarkdown(`${node.number}. ${node.title}`)}`, '');
  for (const child of node.blocks) block(child, out);
}

/** Serializes the notice as GFM with a linked table of contents. */
export function toMarkdown(doc: NoticeDocument): string {
  const slug = slugger();
  slug(doc.title);
  slug(doc.tableOfContents);
  const out: string[] = [`# ${escapeMarkdown(doc.title)}`, ''];
  for (const line of doc.byline) out.push(phraseMarkdown(line), '');
  out.push(`## ${escapeMarkdown(doc.tableOfContents)}`, '');
  doc.sections.forEach((s, i) => {
    const anchor = slug(`${s.number}. ${s.title}`);
    out.push(`${i + 1}. [${escapeMarkdown(s.title)}](#${anchor})`);
    for (const child of s.blocks) if (child.kind === 'subsection') slug(`${child.number} ${child.title}`);
  });
  out.push('');
  for (const s of doc.sections) section(s, out);
  return `${out.join('\n').trimEnd()}\n`;
}
