/**
 * `custodian backup` and `custodian restore`: data backups without keys, key-store backups
 * apart from them and expiring (see store/backup.ts and vault/key-backup.ts). Progress goes
 * to stderr; the summary to stdout.
 */
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { openCustodian } from '../custodian.js';
import { backupData, type BackupProgress, restoreData } from '../store/backup.js';
import { keyBackupDays, restoreKeyBackup, writeKeyBackup } from '../vault/key-backup.js';
import { progressReporter } from './progress.js';

function reporter(label: string) {
  const progress = progressReporter(label);
  return { progress, onProgress: (p: BackupProgress) => progress.update(p.done, p.total) };
}

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description('Write a consistent backup of the data, without any key (--keys: a backup of the key store instead, restorable for CUSTODIAN_KEY_BACKUP_DAYS days, default 30)')
    .requiredOption('--out <file>', 'where to write it')
    .option('--keys', 'back up the key store (subject, act and system keys), not the data')
    .action(async (options: { out: string; keys?: boolean }) => {
      const config = loadConfig();
      if (options.keys) {
        const days = keyBackupDays();
        const custodian = await openCustodian(config);
        try {
          const progress = progressReporter('Backing up keys');
          const backup = await writeKeyBackup(custodian, { days, onProgress: (done) => progress.update(done) });
          const tmp = `${options.out}.partial`;
          writeFileSync(tmp, backup.text, { mode: 0o600 });
          renameSync(tmp, options.out);
          progress.finish(`Backed up ${backup.keys} key(s)`);
          console.log(`Key backup written to ${options.out}; it can be restored until ${new Date(backup.expiresAt).toISOString()} (${days} days).`);
        } finally {
          await custodian.close();
        }
        return;
      }
      // A checkpoint first, so the backup's journal is covered up to (nearly) its last event.
      const custodian = await openCustodian(config);
      try {
        await custodian.checkpoint();
      } finally {
        await custodian.close();
      }
      const { progress, onProgress } = reporter('Backing up data');
      await backupData(config.database, options.out, onProgress);
      progress.finish('Data backed up');
      console.log(`Data backup written to ${options.out} (no keys: it reads only with this installation's key store).`);
    });

  program
    .command('restore')
    .description('Restore a data backup against the current key store (stop the server first); subjects erased since the backup stay erased. --keys: restore a key-store backup that has not expired')
    .argument('<file>', 'a file written by `custodian backup`')
    .option('--keys', 'the file is a key backup (`custodian backup --keys`)')
    .action(async (file: string, options: { keys?: boolean }) => {
      const config = loadConfig();
      if (options.keys) {
        const text = readFileSync(file, 'utf8');
        const custodian = await openCustodian(config);
        try {
          const result = await restoreKeyBackup(custodian, text);
          console.log(`Restored ${result.restored} key(s) and ${result.systemKeys} system key(s); ${result.present} already present; ${result.refused} of erased subjects not brought back.`);
        } finally {
          await custodian.close();
        }
        return;
      }
      const { progress, onProgress } = reporter('Restoring data');
      await restoreData(config.database, file, onProgress);
      progress.finish('Data restored');
      // Migrations bring the restored schema up to date; subjects erased since the backup are tombstoned again.
      const custodian = await openCustodian(config);
      try {
        const { subjects } = await custodian.erasure.eraseKeyless('system:restore');
        await custodian.checkpoint();
        console.log(`Restored ${file}. ${subjects} subject(s) erased since the backup have no key and were erased again.`);
      } finally {
        await custodian.close();
      }
    });
}
