/**
 * The readable copy of a consent act: the page a person (or the operator, for them) reads
 * to see what they agreed to, in their language. The person's full name is on the act,
 * encrypted; it is decrypted into the copy only for a caller allowed to read personal data
 * and only when the purpose gate allows extracting the name for the consent's purpose — the
 * same path every release of personal data takes — and that release is journaled.
 * Otherwise the copy says the name is on record and leaves it out.
 */
import { open } from '../crypto/envelope.js';
import type { PurposeGate } from '../decisions/gate.js';
import type { Journal } from '../journal/journal.js';
import type { Locale } from '../policy/model.js';
import type { PolicyVersions } from '../policy/versions.js';
import type { UnitOfWorkRunner } from '../store/unit-of-work.js';
import type { Subjects } from '../vault/subjects.js';
import { type Consents, nameContext } from './consents.js';
import { type CopyName, readableCopyPage } from './pages.js';

export interface ReadableCopiesDeps {
  consents: Consents;
  work: UnitOfWorkRunner;
  subjects: Subjects;
  gate: PurposeGate;
  journal: Journal;
  policies: PolicyVersions;
}

export interface CopyRequest {
  actor: string;
  locale?: Locale;
  /** The caller may read personal data (scope `data:read`); without it the name is never decrypted. */
  mayReadPersonalData: boolean;
}

export class ReadableCopies {
  constructor(private readonly deps: ReadableCopiesDeps) {}

  /** The readable copy in the person's locale (or `locale`), with their name only when it may be released. */
  async copy(recordId: string, request: CopyRequest): Promise<{ html: string; locale: Locale; name: 'shown' | 'withheld' | 'none' }> {
    const { consents, work, subjects, gate, journal, policies } = this.deps;
    const { source, row } = await consents.receiptSource(recordId, request.locale);
    if (!row.subject_name_enc) return { html: readableCopyPage(source, 'none'), locale: source.locale, name: 'none' };
    const released = !request.mayReadPersonalData
      ? undefined
      : await work.run(async (uow) => {
          const subject = await subjects.lockActive(uow, row.subject_id, 'share');
          if (!subject) return undefined;
          const purpose = policies.active().index.purpose(row.purpose);
          const operation = purpose?.operations.includes('extraction') ? 'extraction' : 'use';
          const decision = await gate.decide({ subjectId: row.subject_id, purpose: row.purpose, operation, categories: ['user.name'] }, { trx: uow.trx, subject });
          if (!decision.allow) return undefined;
          const name = open(subjects.key(subject), row.subject_name_enc!, nameContext(row.subject_id, row.id)).toString('utf8');
          await journal.append(uow.trx, [
            { actor: request.actor, operation, subjectId: row.subject_id, purpose: row.purpose, categories: ['user.name'], details: { record: 'consent', consentId: row.id, output: 'readable-copy', locale: source.locale } },
          ]);
          return name;
        });
    const name: CopyName = released === undefined ? 'withheld' : { shown: released };
    return { html: readableCopyPage(source, name), locale: source.locale, name: released === undefined ? 'withheld' : 'shown' };
  }
}
