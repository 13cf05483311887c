/**
 * Pages a person reads: the readable copy of a consent record and the unsubscribe pages.
 * Self-contained HTML — inline style, no scripts, fonts or images from elsewhere — so a
 * saved or printed copy stays complete, and every interpolated value is escaped.
 */
import { localize, type Locale, type LocalizedText } from '../policy/model.js';
import { CONSENT_MESSAGES, formatTime } from './messages.js';
import { type ReceiptSource, thirdPartyNames } from './receipts.js';
import { operatorRegistration } from './requirements.js';

/** Served with every page: nothing may load from elsewhere, and the token in the URL must not leak as a referrer. */
export const PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.5rem}table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.4rem .6rem;border-bottom:1px solid #ddd}
th{width:38%;font-weight:600}code{word-break:break-all;font-size:.85em}button{font:inherit;padding:.6rem 1.2rem;cursor:pointer}`;

function page(locale: Locale, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

/**
 * The readable copy of a consent record, with the content 94-V art. 8(4) asks a consent to
 * carry: operator and BIN, the person's name, validity, third parties, transfer abroad,
 * public dissemination and the list of data.
 */
/** The person's name on a readable copy: shown, recorded but withheld from this caller, or never recorded. */
export type CopyName = { shown: string } | 'withheld' | 'none';

export function readableCopyPage(source: ReceiptSource, name: CopyName): string {
  const { record, policy, purpose, locale } = source;
  const m = CONSENT_MESSAGES[locale];
  const text = (value: LocalizedText | undefined) => localize(value, locale, policy.defaultLocale);
  const registration = operatorRegistration(policy);
  const operator = [text(policy.operator.name), registration ? `${m.registrationSchemes[registration.scheme]} ${registration.value}` : '', text(policy.operator.address)].filter(Boolean).join(', ');
  const yesNo = (value: boolean) => (value ? m.yes : m.no);
  const categories = record.categories.map((id) => text(policy.categories.find((c) => c.id === id)?.title) || id);
  const rows: [string, string][] = [
    [m.recordNumber, `<code>${escapeHtml(record.id)}</code>`],
    [m.operator, escapeHtml(operator)],
    [m.subject, escapeHtml(typeof name === 'object' ? name.shown : name === 'withheld' ? m.nameWithheld : m.notRecorded)],
    [m.purpose, escapeHtml(text(purpose.title))],
    [m.topicLabel, escapeHtml(m.topics[record.topic])],
    [m.decision, `<strong>${escapeHtml(m.states[record.state])}</strong>`],
    [m.time, escapeHtml(formatTime(record.at, locale))],
  ];
  if (record.event === 'given') rows.push([m.validUntil, escapeHtml(record.validUntil === null ? m.untilPurposeAchieved : formatTime(record.validUntil, locale))]);
  rows.push(
    [m.personalData, list(categories)],
    [m.thirdParties, escapeHtml(yesNo(record.scope.thirdParties))],
    ...(record.scope.thirdParties ? [[m.recipients, list(thirdPartyNames(policy, purpose, locale))] as [string, string]] : []),
    [m.crossBorder, escapeHtml(yesNo(record.scope.crossBorder))],
    [m.publicDissemination, escapeHtml(yesNo(record.scope.publicDissemination))],
    [m.channel, escapeHtml(record.channel ? m.channels[record.channel] : m.notRecorded)],
    [m.notice, escapeHtml(m.noticeVersion(record.policyVersion))],
  );
  if (record.notice) rows.push([m.fingerprint, `<code>${escapeHtml(record.notice.sha256)}</code>`]);

  const contacts = policy.operator.responsiblePerson ?? policy.operator.contacts;
  const contactLines = [contacts.email, contacts.phone, policy.operator.contacts.website].filter((v): v is string => Boolean(v));
  const table = `<table>\n${rows.map(([label, value]) => `<tr><th scope="row">${escapeHtml(label)}</th><td>${value}</td></tr>`).join('\n')}\n</table>`;
  const withdraw = record.event === 'given' && contactLines.length > 0 ? `\n<p>${escapeHtml(m.withdrawHow)}</p>\n${list(contactLines)}` : '';
  return page(locale, m.receiptTitle, `<p>${escapeHtml(m.receiptIntro)}</p>\n${table}${withdraw}`);
}

function list(items: string[]): string {
  return `<ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
}

/**
 * The page an unsubscribe link opens. It asks before acting because mail scanners follow
 * links: a GET must never withdraw anything. The form posts back to the same URL.
 */
export function unsubscribeConfirmPage(locale: Locale, purposeTitle: string, token: string): string {
  const m = CONSENT_MESSAGES[locale];
  return page(
    locale,
    m.unsubscribeTitle,
    `<p>${escapeHtml(m.unsubscribeQuestion(purposeTitle))}</p>
<form method="post">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<button type="submit">${escapeHtml(m.unsubscribeButton)}</button>
</form>`,
  );
}

export function unsubscribedPage(locale: Locale, purposeTitle: string): string {
  const m = CONSENT_MESSAGES[locale];
  return page(locale, m.unsubscribedTitle, `<p>${escapeHtml(m.unsubscribed(purposeTitle))}</p>`);
}
