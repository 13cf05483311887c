/**
 * Every mail Custodian sends, by id, with the parameters it takes. Adding a template:
 * declare its parameters here, then write it in `en.ts`, `ru.ts` and `kk.ts` — the
 * compiler refuses a locale that lacks it or reads a parameter it was not given.
 *
 * Parameters are ids, titles, links, codes, times and counts — never an address or
 * other personal data: they travel in job payloads. `operatorName` is given to every
 * template, in the person's language.
 */

/**
 * What a parameter holds, checked when a job runs:
 * - `text`: one line of text (a title), shown escaped;
 * - `purpose-title`: the title of the job's purpose in the person's language — looked up
 *   from the policy when the job does not carry it;
 * - `url`: an http(s) link;
 * - `code`: a one-time code (letters, digits, hyphens);
 * - `time`: epoch milliseconds, shown in UTC in the person's language;
 * - `count`: a positive whole number.
 */
export type ParamKind = 'text' | 'purpose-title' | 'url' | 'code' | 'time' | 'count';

type ParamValue<K> = K extends 'time' | 'count' ? number : string;

export const TEMPLATE_PARAMS = {
  /** The notice changed materially for a consent purpose: the person is asked to consent again. */
  'consent-renewal': { purposeTitle: 'purpose-title', renewUrl: 'url' },
  /** Confirms a withdrawal of consent and says how to give it again. */
  'consent-withdrawn': { purposeTitle: 'purpose-title', withdrawnAt: 'time', consentUrl: 'url' },
  /** A one-time code that confirms a request (e.g. a rights request) came from the address's owner. */
  'verification-code': { code: 'code', expiresInMinutes: 'count' },
} as const satisfies Record<string, Record<string, ParamKind>>;

export type TemplateId = keyof typeof TEMPLATE_PARAMS;
export const TEMPLATE_IDS = Object.keys(TEMPLATE_PARAMS) as TemplateId[];

/** The parameters a template is rendered with. */
export type TemplateParams<T extends TemplateId> = { readonly [P in keyof (typeof TEMPLATE_PARAMS)[T]]: ParamValue<(typeof TEMPLATE_PARAMS)[T][P]> };

/** What a template's text is written with: its parameters and the operator's name. */
export type MailParams<T extends TemplateId> = TemplateParams<T> & { readonly operatorName: string };

/** One block of a mail's body; rendering turns each into text and escaped HTML. */
export type MailBlock = string | { link: string; url: string } | { code: string };

export interface MailDraft {
  subject: string;
  body: MailBlock[];
  /** The footer: why the person gets this message. */
  reason: string;
}

/** One language's mail: the frame every message shares and each template's text. */
export interface MailLocale {
  greeting: string;
  /** Closes the body, above the operator's name. */
  regards: string;
  templates: { [T in TemplateId]: (params: MailParams<T>) => MailDraft };
}
