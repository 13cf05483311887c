/**
 * The copy a person gets: their data from the vault, the connected systems' answers (none
 * yet), and what each law says they must be told — purposes, categories, recipients,
 * sources, retention, transfers, rights — from the active policy and the disclosure
 * register. Rendered as JSON (the contract), CSV and a readable HTML page in the person's
 * language, zipped together.
 */
import { strToU8, zipSync } from 'fflate';
import { type LawId, rightsOf } from '../law/index.js';
import { type Locale, localize, type Policy, type Purpose, type RetentionRule } from '../policy/model.js';
import { PACKAGE_MESSAGES } from './messages.js';

export interface PackageItem {
  id: string;
  category: string;
  value: unknown;
  purposes: string[];
  source: string;
  collectedAt: string;
  retentionDueAt: string | null;
  state: string;
}

export interface AccessPackage {
  kind: 'access' | 'portability';
  requestId: string;
  generatedAt: string;
  locale: Locale;
  subject: { id: string; jurisdiction: string | null; locale: string | null; createdAt: string; identifiers: { type: string; value: string }[] } | null;
  vault: PackageItem[];
  /** Answers of connected systems; none are connected yet. */
  systems: { system: string; items: unknown[] }[];
  information: PackageInformation | Record<string, never>;
}

export interface PackageInformation {
  purposes: { id: string; title: string; legalBasis: Record<string, string>; categories: string[]; retention: string }[];
  categories: { id: string; title: string }[];
  recipients: { id: string; name: string; kind: string; country: string; received: boolean }[];
  sources: string[];
  retention: { purpose: string; rule: string }[];
  transfers: { recipient: string; country: string; safeguard: string | null }[];
  rights: { law: LawId; type: string; article: string }[];
}

export interface DisclosureFact {
  recipient: string;
  country: string;
  crossBorder: boolean;
  safeguard: string | null;
}

/** What the law asks the operator to tell, for this person: the policy as it applies to their data and the transfers of it. */
export function packageInformation(policy: Policy, locale: Locale, items: readonly PackageItem[], disclosures: readonly DisclosureFact[], laws: readonly LawId[]): PackageInformation {
  const text = (t: Parameters<typeof localize>[0]) => localize(t, locale, policy.defaultLocale);
  const held = new Set(items.flatMap((i) => i.purposes));
  // Everything the policy declares, so a person with no data yet learns what would happen; the purposes their data serves first.
  const purposes = [...policy.purposes].sort((a, b) => Number(held.has(b.id)) - Number(held.has(a.id)));
  const received = new Set(disclosures.map((d) => d.recipient));
  const seen = new Set<string>();
  const transfers = disclosures.filter((d) => d.crossBorder && !seen.has(`${d.recipient}|${d.country}`) && seen.add(`${d.recipient}|${d.country}`)).map((d) => ({ recipient: d.recipient, country: d.country, safeguard: d.safeguard }));
  return {
    purposes: purposes.map((p) => ({ id: p.id, title: text(p.title), legalBasis: legalBases(p), categories: p.categories, retention: retentionText(p.retention) })),
    categories: policy.categories.map((c) => ({ id: c.id, title: text(c.title) || c.id })),
    recipients: policy.recipients.map((r) => ({ id: r.id, name: text(r.name), kind: r.kind, country: r.country, received: received.has(r.id) })),
    sources: [...new Set([...items.map((i) => i.source), ...policy.purposes.flatMap((p) => p.sources)])].sort(),
    retention: policy.purposes.map((p) => ({ purpose: p.id, rule: retentionText(p.retention) })),
    transfers,
    rights: laws.flatMap((law) => Object.entries(rightsOf(law)).map(([type, grant]) => ({ law, type, article: grant!.article }))),
  };
}

function legalBases(purpose: Purpose): Record<string, string> {
  const { explanation: _explanation, ...bases } = purpose.legalBasis;
  return Object.fromEntries(Object.entries(bases).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function retentionText(rule: RetentionRule): string {
  return rule.kind === 'duration' ? `${rule.duration} from ${rule.from}` : rule.kind;
}

/** The package as the files of its zip. */
export function packageFiles(pkg: AccessPackage, operatorName: string): Record<string, Uint8Array> {
  return {
    'package.json': strToU8(JSON.stringify(pkg, null, 2)),
    'data.csv': strToU8(packageCsv(pkg)),
    'index.html': strToU8(packageHtml(pkg, operatorName)),
  };
}

export function packageZip(pkg: AccessPackage, operatorName: string): Buffer {
  // Fixed times in the archive: the same package zips to the same bytes.
  return Buffer.from(zipSync(packageFiles(pkg, operatorName), { level: 6, mtime: new Date(pkg.generatedAt) }));
}

/** One row per item, RFC 4180; a cell that a spreadsheet would run as a formula is quoted with a leading apostrophe. */
export function packageCsv(pkg: AccessPackage): string {
  const rows = [['category', 'value', 'purposes', 'source', 'collectedAt', 'retentionDueAt', 'state']];
  for (const item of pkg.vault) {
    rows.push([item.category, typeof item.value === 'string' ? item.value : JSON.stringify(item.value), item.purposes.join(' '), item.source, item.collectedAt, item.retentionDueAt ?? '', item.state]);
  }
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A page a person can read without tools, in their language. */
export function packageHtml(pkg: AccessPackage, operatorName: string): string {
  const m = PACKAGE_MESSAGES[pkg.locale];
  const e = escapeHtml;
  const title = m.title(operatorName);
  const info = 'purposes' in pkg.information ? (pkg.information as PackageInformation) : undefined;
  const titleOf = (id: string) => info?.categories.find((c) => c.id === id)?.title ?? id;
  const list = (items: string[]) => (items.length === 0 ? `<p>${e(m.none)}</p>` : `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`);
  const rows = pkg.vault
    .map((i) => `<tr><td>${e(titleOf(i.category))}</td><td>${e(typeof i.value === 'string' ? i.value : JSON.stringify(i.value))}</td><td>${e(i.purposes.join(', '))}</td><td>${e(m.sources[i.source] ?? i.source)}</td><td>${e(i.collectedAt.slice(0, 10))}</td></tr>`)
    .join('');
  const parts = [
    `<!doctype html><html lang="${pkg.locale}"><head><meta charset="utf-8"><title>${e(title)}</title></head><body>`,
    `<h1>${e(title)}</h1><p>${e(m.intro(pkg.generatedAt.slice(0, 10)))}</p>`,
    pkg.subject ? `<h2>${e(m.identifiers)}</h2>${list(pkg.subject.identifiers.map((i) => `${e(i.type)}: ${e(i.value)}`))}` : '',
    `<h2>${e(m.yourData)}</h2>`,
    pkg.vault.length === 0 ? `<p>${e(m.noData)}</p>` : `<table><thead><tr><th>${e(m.category)}</th><th>${e(m.value)}</th><th>${e(m.purposes)}</th><th>${e(m.source)}</th><th>${e(m.collected)}</th></tr></thead><tbody>${rows}</tbody></table>`,
  ];
  if (info) {
    parts.push(
      `<h2>${e(m.aboutProcessing)}</h2>${list(info.purposes.map((p) => `<strong>${e(p.title)}</strong> — ${e(p.categories.map(titleOf).join(', '))}`))}`,
      `<h2>${e(m.recipients)}</h2>${list(info.recipients.map((r) => `${e(r.name)} (${e(r.country)})`))}`,
      `<h2>${e(m.retention)}</h2>${list(info.retention.map((r) => `${e(info.purposes.find((p) => p.id === r.purpose)?.title ?? r.purpose)}: ${e(r.rule)}`))}`,
      `<h2>${e(m.transfers)}</h2>${list(info.transfers.map((t) => `${e(t.recipient)} → ${e(t.country)}${t.safeguard ? ` (${e(t.safeguard)})` : ''}`))}`,
      `<h2>${e(m.rights)}</h2>${list(info.rights.map((r) => `${e(r.type)} (${e(r.law)}, ${e(r.article)})`))}`,
    );
  }
  parts.push('</body></html>');
  return parts.join('\n');
}
