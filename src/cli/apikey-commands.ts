/** `custodian apikey …`: create, list and revoke API keys. */
import { type Command, Option } from 'commander';
import { SCOPES } from '../access/api-keys.js';
import { loadConfig } from '../config.js';
import { openCustodian } from '../custodian.js';

export function registerApiKeyCommands(program: Command): void {
  const apikey = program.command('apikey').description('API keys for service callers');
  apikey
    .command('create')
    .description('Create an API key; the key is printed once, on the last line')
    .requiredOption('--name <name>', 'who or what uses the key')
    .addOption(new Option('--scopes <scopes>', `comma-separated scopes (admin grants all): ${SCOPES.join(', ')}`).makeOptionMandatory())
    .action(async (options: { name: string; scopes: string }) => {
      const custodian = await openCustodian(loadConfig());
      try {
        const created = await custodian.apiKeys.create(
          options.name,
          // Empty items ("a,,b", a trailing comma) are reported, not dropped: a typo must not grant less, or more, than meant.
          options.scopes.split(',').map((s) => s.trim()),
        );
        console.log(`Created API key ${created.id} "${options.name}" with scopes ${created.scopes.join(', ')}. It is shown only now:`);
        console.log(created.key);
      } finally {
        await custodian.close();
      }
    });
  apikey
    .command('list')
    .description('List API keys (never their secrets)')
    .action(async () => {
      const custodian = await openCustodian(loadConfig());
      try {
        for (const key of await custodian.apiKeys.list()) {
          console.log(`${key.id}  ${key.name}  ${key.scopes.join(',')}  ${key.revokedAt ? 'revoked' : 'active'}`);
        }
      } finally {
        await custodian.close();
      }
    });
  apikey
    .command('revoke <id>')
    .description('Revoke an API key')
    .action(async (id: string) => {
      const custodian = await openCustodian(loadConfig());
      try {
        const revoked = await custodian.apiKeys.revoke(id);
        console.log(revoked ? `Revoked ${id}` : `No active key ${id}`);
        process.exitCode = revoked ? 0 : 1;
      } finally {
        await custodian.close();
      }
    });
}
