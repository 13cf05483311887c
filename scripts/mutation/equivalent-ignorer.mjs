/**
 * Stryker ignorer `equivalent`: leaves out the mutants listed in mutation/EQUIVALENT.md —
 * changes to the code no test can tell apart because the program behaves the same. They
 * show in the report as "Ignored", with the reason from the list, and do not count.
 *
 * An entry names a source file and the exact text of one node in it (a condition, a
 * literal); every mutant Stryker makes of that node and what it contains is ignored. A
 * node is matched by its text, not by its line, so an entry survives edits around it and
 * stops matching (the mutants come back) as soon as the code itself changes.
 *
 * EQUIVALENT.md rows: `| src/file.ts | \`exact node text\` | mutators | why it is equivalent |`
 * (a `|` inside the code is written `\|`). When the same text occurs more than once in the
 * file, the code cell marks the node inside the text around it: `if («deny.length === 0») allow`
 * matches only the occurrence with `if (` before it and `) allow` after it.
 */
import { readFileSync } from 'node:fs';
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

const LIST = new URL('../../mutation/EQUIVALENT.md', import.meta.url);

/** The table rows of EQUIVALENT.md: file, code, reason. */
export function equivalentEntries(markdown = readFileSync(LIST, 'utf8')) {
  const entries = [];
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('| src/')) continue;
    const cells = line
      .slice(1, line.trimEnd().endsWith('|') ? line.trimEnd().length - 1 : undefined)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim().replaceAll('\\|', '|'));
    const [file, code, , reason] = cells;
    const text = /^`(.+)`$/.exec(code)?.[1];
    const marked = text && /^(.*)«(.+)»(.*)$/.exec(text);
    const [before, node, after] = marked ? marked.slice(1) : ['', text, ''];
    if (file && node && reason) entries.push({ file, code: node, before, after, reason });
  }
  return entries;
}

const entries = equivalentEntries();

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'equivalent', {
    shouldIgnore(path) {
      const file = path.hub?.file;
      const name = String(file?.opts?.filename ?? '').replaceAll('\\', '/');
      const { start, end } = path.node;
      if (start == null || end == null) return undefined;
      for (const entry of entries) {
        if (!name.endsWith(`/${entry.file}`) && name !== entry.file) continue;
        if (end - start !== entry.code.length) continue;
        if (file.code.slice(start, end) !== entry.code) continue;
        if (file.code.slice(start - entry.before.length, start) === entry.before && file.code.slice(end, end + entry.after.length) === entry.after) return `Equivalent (mutation/EQUIVALENT.md): ${entry.reason}`;
      }
      return undefined;
    },
  }),
];
