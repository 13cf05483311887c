/**
 * Every schema migration, from every feature, in one ordered set: the composition root
 * hands it to the store's runner (`store/migrations.ts`), which knows no feature.
 */
import { consentMigrations } from './consent/migrations.js';
import { disclosureMigrations } from './disclosures/migrations.js';
import { journalMigrations } from './journal/migrations.js';
import { rightsMigrations } from './rights/migrations.js';
import { foundationMigrations, type Migrations, storeMigrations } from './store/migrations.js';
import { vaultMigrations } from './vault/migrations.js';

export const MIGRATIONS: Migrations = {
  ...foundationMigrations,
  ...consentMigrations,
  ...vaultMigrations,
  ...disclosureMigrations,
  ...journalMigrations,
  ...storeMigrations,
  ...rightsMigrations,
};
