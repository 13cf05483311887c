/**
 * Reminders to staff before a request's term ends: once per request, when its earliest
 * due moment is within `REMIND_BEFORE_MS`, to the responsible person (or DPO, or the
 * operator's contact address) the policy names. The mail holds the request's id, type and
 * times — never the person's data.
 */
import type { Clock } from '../clock.js';
import { localize } from '../policy/model.js';
import type { PolicyVersions } from '../policy/versions.js';
import type { Store } from '../store/store.js';
import type { UnitOfWorkRunner } from '../store/unit-of-work.js';
import type { Mailer } from '../notify/mailer.js';
import { OPEN_STATES } from './model.js';
import { REMINDER_MESSAGES } from './messages.js';
import type { RightsRequests } from './requests.js';

export const REMIND_BEFORE_MS = 3 * 24 * 3600_000;

export interface RemindersDeps {
  store: Store;
  work: UnitOfWorkRunner;
  policies: PolicyVersions;
  clock: Clock;
  requests: RightsRequests;
  mailer?: Mailer;
  from: string;
}

/** Sends the reminders due now; returns how many went out. Without a mailer nothing is sent (and nothing marked). */
export async function sendReminders(deps: RemindersDeps, remindBeforeMs = REMIND_BEFORE_MS): Promise<number> {
  const { store, work, policies, clock, requests, mailer } = deps;
  if (!mailer) return 0;
  const policy = policies.active().index.policy;
  const to = policy.operator.responsiblePerson?.email ?? policy.operator.dpo?.email ?? policy.operator.contacts.email;
  if (!to) return 0;
  const now = clock.now();
  const rows = await store.db.selectFrom('rights_request').selectAll().where('state', 'in', [...OPEN_STATES]).where('reminded_at', 'is', null).where('duplicate_of', 'is', null).execute();
  let sent = 0;
  for (const row of rows) {
    const request = requests.view(row, now);
    const first = request.deadlines[0];
    if (!first || first.dueAt > now + remindBeforeMs) continue;
    const locale = policy.defaultLocale;
    const m = REMINDER_MESSAGES[locale];
    const text = m.body({ id: request.id, type: request.type, due: first.dueAtIso, law: first.law, article: first.article, state: request.state });
    await mailer.send({
      from: deps.from,
      to,
      subject: `${localize(policy.operator.name, locale)}: ${m.subject(request.type, first.dueAtIso)}`,
      text,
      html: `<pre>${text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!)}</pre>`,
      headers: { 'Content-Language': locale, 'Auto-Submitted': 'auto-generated' },
    });
    // Marked after sending: a crash in between sends a second reminder rather than none.
    await work.run(async (uow) => uow.trx.updateTable('rights_request').set({ reminded_at: now }).where('id', '=', row.id).execute());
    sent++;
  }
  return sent;
}
