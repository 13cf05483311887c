/**
 * Finding a subject by one of their identifiers without creating one: the identifier is
 * normalized and turned into its blind index, so the lookup never needs the value in clear
 * in the database. A hit is journaled as a staff `view` of the subject (which identifier
 * type was used, never its value); a miss reveals nothing and writes nothing.
 */
import type { KeyService } from '../crypto/keys.js';
import { CustodianError, notFound } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import type { UnitOfWorkRunner } from '../store/unit-of-work.js';
import { IDENTIFIER_CATEGORY, type IdentifierType, normalizeIdentifier } from './identifiers.js';
import type { SubjectSummary } from './vault.js';

export interface SubjectLookupDeps {
  work: UnitOfWorkRunner;
  keys: KeyService;
  journal: Journal;
}

export class SubjectLookup {
  constructor(private readonly deps: SubjectLookupDeps) {}

  /**
   * The subject holding this identifier; `not_found` when none does.
   *
   * @example await lookup.byIdentifier({ type: 'email', value: 'Aigerim@Example.kz' }, 'apikey:0123abcd');
   */
  async byIdentifier(identifier: { type: IdentifierType; value: string }, actor: string): Promise<SubjectSummary> {
    const normalized = normalizeIdentifier(identifier.type, identifier.value);
    if (!normalized.ok) throw new CustodianError('validation_failed', 'Invalid identifier', [{ path: 'identifier', message: `${identifier.type} ${normalized.message}` }]);
    const blindIndex = this.deps.keys.blindIndex(identifier.type, normalized.value);
    return this.deps.work.run(async (uow) => {
      const match = await uow.trx.selectFrom('subject_identifier').select('subject_id').where('type', '=', identifier.type).where('blind_index', '=', blindIndex).executeTakeFirst();
      if (!match) throw notFound('Subject', 'identifier');
      const subject = await uow.lockSubject(match.subject_id, 'share');
      if (!subject) throw notFound('Subject', 'identifier');
      await this.deps.journal.append(uow.trx, [
        { actor, operation: 'view', subjectId: subject.id, categories: [IDENTIFIER_CATEGORY[identifier.type]], details: { kind: 'lookup', identifierType: identifier.type } },
      ]);
      return { id: subject.id, state: subject.state, jurisdiction: subject.jurisdiction, locale: subject.locale, createdAt: Number(subject.created_at) };
    });
  }
}
