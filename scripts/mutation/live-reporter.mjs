/**
 * Stryker reporter `live`: one line per mutant that no test killed, written as soon as it
 * is known, to `<report dir>/survivors.txt` — a full run takes hours, and the HTML report
 * only appears at its end. Same line format as scripts/mutation/survivors.mjs.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { commonTokens, declareClassPlugin, PluginKind } from '@stryker-mutator/api/plugin';

class LiveReporter {
  static inject = [commonTokens.options];

  constructor(options) {
    this.file = `${dirname(options.jsonReporter?.fileName ?? 'reports/mutation/mutation.json')}/survivors.txt`;
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, '');
  }

  onMutantTested(result) {
    if (result.status !== 'Survived' && result.status !== 'NoCoverage') return;
    const file = String(result.fileName).replaceAll('\\', '/').replace(/^.*?\/(src\/)/, '$1');
    const { line, column } = result.location.start;
    const replacement = String(result.replacement ?? '').replace(/\s+/g, ' ').slice(0, 90);
    appendFileSync(this.file, `${file}:${line}:${column} ${result.status === 'NoCoverage' ? 'NO COVERAGE ' : ''}${result.mutatorName}: → ${replacement}\n`);
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'live', LiveReporter)];
