/**
 * Turns a template into the message a person reads: a plain-text part and an HTML part
 * from the same blocks, in the person's language, with the greeting, the operator's name
 * under the text and the footer saying why the mail came. Every parameter reaches the HTML
 * escaped: templates write plain text, and only this file writes markup.
 */
import { escapeHtml } from '../../consent/pages.js';
import { LOCALES, type Locale } from '../../policy/model.js';
import type { MailBlock, MailLocale, MailParams, TemplateId } from './catalog.js';
import { en } from './en.js';
import { kk } from './kk.js';
import { ru } from './ru.js';

export const MAIL_LOCALES: Record<Locale, MailLocale> = { en, ru, kk };

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/**
 * The language a person gets mail in: theirs, else the policy's default, else English.
 *
 * @example mailLocale('kk', 'ru'); // 'kk'
 */
export function mailLocale(person: string | null | undefined, policyDefault: string | null | undefined): Locale {
  return [person, policyDefault].find((l): l is Locale => (LOCALES as readonly unknown[]).includes(l)) ?? 'en';
}

/**
 * @example renderMail('verification-code', 'ru', { operatorName: 'ТОО «Demo Shop»', code: '482913', expiresInMinutes: 15 }).subject;
 * // 'ТОО «Demo Shop»: код подтверждения'
 */
export function renderMail<T extends TemplateId>(template: T, locale: Locale, params: MailParams<T>): RenderedMail {
  const messages = MAIL_LOCALES[locale];
  const draft = messages.templates[template](params);
  const text = [messages.greeting, ...draft.body.map(textBlock), `${messages.regards}\n${params.operatorName}`, `-- \n${draft.reason}`].join('\n\n');
  const html = `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(draft.subject)}</title>
</head>
<body style="margin:0;padding:0;background:#f4f4f4">
<div style="max-width:36rem;margin:0 auto;padding:24px;background:#ffffff;color:#1a1a1a;font:16px/1.5 Arial,Helvetica,sans-serif">
<p>${escapeHtml(messages.greeting)}</p>
${draft.body.map(htmlBlock).join('\n')}
<p>${escapeHtml(messages.regards)}<br>${escapeHtml(params.operatorName)}</p>
<hr style="border:0;border-top:1px solid #dddddd;margin:24px 0 12px">
<p style="font-size:13px;color:#555555">${escapeHtml(draft.reason)}</p>
</div>
</body>
</html>
`;
  return { subject: draft.subject, text: `${text}\n`, html };
}

function textBlock(block: MailBlock): string {
  if (typeof block === 'string') return block;
  if ('link' in block) return `${block.link}:\n${block.url}`;
  return `    ${block.code}`;
}

function htmlBlock(block: MailBlock): string {
  if (typeof block === 'string') return `<p>${escapeHtml(block)}</p>`;
  if ('link' in block) {
    return `<p><a href="${escapeHtml(block.url)}" style="display:inline-block;padding:10px 18px;background:#1f4e8c;color:#ffffff;text-decoration:none;border-radius:4px">${escapeHtml(block.link)}</a></p>
<p style="font-size:13px;color:#555555;word-break:break-all">${escapeHtml(block.url)}</p>`;
  }
  return `<p style="font:bold 28px/1.2 'Courier New',monospace;letter-spacing:4px">${escapeHtml(block.code)}</p>`;
}
