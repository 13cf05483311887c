/**
 * The notice as a self-contained HTML5 page: no scripts, no external fonts, styles or
 * images, so it can be published as a static file, archived as evidence of what a
 * person was shown, and printed.
 */
import type { Block, Inline, NoticeDocument, Phrase, Section } from './document.js';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for element content and double-quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/*
 * Colours: body text #1b1f24 on #ffffff (16:1), links #0a4b8f (9:1), table headers on
 * #eef1f5 (14:1) — all above WCAG AAA 7:1 for normal text.
 */
const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #ffffff; color: #1b1f24; font: 1rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif; }
.notice { max-width: 52rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 1.9rem; line-height: 1.25; margin: 0 0 .5rem; }
h2 { font-size: 1.4rem; line-height: 1.3; margin: 2.5rem 0 .75rem; padding-top: .5rem; border-top: 1px solid #c9d1d9; }
h3 { font-size: 1.1rem; margin: 1.75rem 0 .5rem; }
.byline { margin: 0; color: #3d4650; }
a { color: #0a4b8f; text-decoration: underline; text-underline-offset: .15em; }
a:focus-visible { outline: 3px solid #0a4b8f; outline-offset: 2px; }
nav { margin: 2rem 0; padding: 1rem 1.25rem; background: #f6f8fa; border: 1px solid #c9d1d9; border-radius: 6px; }
nav h2 { margin: 0 0 .5rem; padding: 0; border: 0; font-size: 1.1rem; }
nav ol { margin: 0; padding-left: 1.25rem; }
table { width: 100%; border-collapse: collapse; margin: 1rem 0 1.5rem; font-size: .95rem; }
caption { text-align: left; font-weight: 600; padding: 0 0 .4rem; }
th, td { border: 1px solid #8c959f; padding: .45rem .6rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
thead th { background: #eef1f5; }
tbody th { font-weight: 600; }
dt { font-weight: 600; margin-top: .6rem; }
dd { margin: 0 0 0 1.25rem; }
@media print {
  @page { margin: 18mm 16mm; }
  body { font-size: 11pt; line-height: 1.45; color: #000000; background: #ffffff; }
  .notice { max-width: none; padding: 0; }
  nav { background: none; border: 1px solid #000000; break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  h2 { border-top-color: #000000; }
  table, tr, dl { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  thead th { background: none; }
  th, td { border-color: #000000; }
  a { color: #000000; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .9em; overflow-wrap: anywhere; }
}
`;

function inline(node: Inline): string {
  if (typeof node === 'string') return escapeHtml(node);
  switch (node.kind) {
    case 'strong':
      return `<strong>${escapeHtml(node.text)}</strong>`;
    case 'link':
      return `<a href="${escapeHtml(node.href)}">${escapeHtml(node.text)}</a>`;
    case 'break':
      return '<br>';
  }
}

function phraseHtml(content: Phrase): string {
  return content.map(inline).join('');
}

function block(node: Block, out: string[]): void {
  switch (node.kind) {
    case 'paragraph':
      out.push(`<p>${phraseHtml(node.content)}</p>`);
      return;
    case 'list':
      out.push('<ul>', ...node.items.map((item) => `<li>${phraseHtml(item)}</li>`), '</ul>');
      return;
    case 'definitions':
      out.push('<dl>');
      for (const item of node.items) out.push(`<dt>${phraseHtml(item.term)}</dt>`, `<dd>${phraseHtml(item.details)}</dd>`);
      out.push('</dl>');
      return;
    case 'table':
      out.push('<table>', `<caption>${escapeHtml(node.caption)}</caption>`, '<thead>', '<tr>');
      for (const column of node.columns) out.push(`<th scope="col">${escapeHtml(column)}</th>`);
      out.push('</tr>', '</thead>', '<tbody>');
      for (const row of node.rows) {
        const [head = [], ...cells] = row;
        out.push('<tr>', `<th scope="row">${phraseHtml(head)}</th>`, ...cells.map((cell) => `<td>${phraseHtml(cell)}</td>`), '</tr>');
      }
      out.push('</tbody>', '</table>');
      return;
    case 'subsection':
      out.push(`<section id="${escapeHtml(node.id)}" aria-labelledby="${escapeHtml(node.id)}-title">`);
      out.push(`<h3 id="${escapeHtml(node.id)}-title">${escapeHtml(`${node.number} ${node.title}`)}</h3>`);
      for (const child of node.blocks) block(child, out);
      out.push('</section>');
      return;
  }
}

function section(node: Section, out: string[]): void {
  out.push(`<section id="${escapeHtml(node.id)}" aria-labelledby="${escapeHtml(node.id)}-title">`);
  out.push(`<h2 id="${escapeHtml(node.id)}-title">${escapeHtml(`${node.number}. ${node.title}`)}</h2>`);
  for (const child of node.blocks) block(child, out);
  out.push('</section>');
}

/** Serializes the notice as a complete HTML5 document. */
export function toHtml(doc: NoticeDocument): string {
  const out: string[] = [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(doc.locale)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.pageTitle)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main class="notice">',
    '<header>',
    `<h1>${escapeHtml(doc.title)}</h1>`,
    ...doc.byline.map((line) => `<p class="byline">${phraseHtml(line)}</p>`),
    '</header>',
    '<nav aria-labelledby="toc-title">',
    `<h2 id="toc-title">${escapeHtml(doc.tableOfContents)}</h2>`,
    '<ol>',
    ...doc.sections.map((s) => `<li><a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a></li>`),
    '</ol>',
    '</nav>',
  ];
  for (const s of doc.sections) section(s, out);
  out.push('</main>', '</body>', '</html>', '');
  return out.join('\n');
}
