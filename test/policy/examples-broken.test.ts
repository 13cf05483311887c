/**
 * Every example policy compiles cleanly, and three deliberately broken copies of each —
 * made by editing the YAML AST, as a careless author would — fail with the right code at
 * the right FILE:LINE:COL.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isMap, isSeq, LineCounter, parseDocument, Scalar, type Node } from 'yaml';
import { compilePolicy } from '../../src/policy/compile.js';
import { isCrossBorder, homeRegion } from '../../src/law/transfers.js';
import { formatDiagnostic, type Diagnostic } from '../../src/policy/diagnostics.js';
import type { Entity } from '../../src/policy/model.js';

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
const SEEDS = ['smartist', 'smartthings', 'smart-protect', 'smart-communications', 'wadjet'];

const files = existsSync(EXAMPLES) ? readdirSync(EXAMPLES).filter((f) => f.endsWith('.policy.yaml')).sort() : [];

function errorsOf(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic).join('\n');
}

/** Line and column where the node at `path` starts, read from the text itself. */
function startOf(text: string, path: (string | number)[]): [number, number] {
  const lineCounter = new LineCounter();
  const node = parseDocument(text, { lineCounter, merge: true }).getIn(path, true) as Node | undefined;
  assert.ok(node?.range, `no node at ${path.join('.')}`);
  const { line, col } = lineCounter.linePos(node.range[0]);
  return [line, col];
}

function expectOne(text: string, file: string, code: string, path: string, at: [number, number]): void {
  const { policy, diagnostics } = compilePolicy(text, file);
  assert.equal(policy, undefined, `${file} should not compile`);
  const found = diagnostics.filter((d) => d.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got:\n${diagnostics.map(formatDiagnostic).join('\n')}`);
  assert.equal(found[0]!.path, path);
  assert.ok(
    formatDiagnostic(found[0]!).startsWith(`${file}:${at[0]}:${at[1]}: error: `),
    `expected ${code} at ${file}:${at[0]}:${at[1]}, got ${formatDiagnostic(found[0]!)}`,
  );
}

describe('example policies', () => {
  it('include the five seed operators', () => {
    const missing = SEEDS.filter((name) => !files.includes(`${name}.policy.yaml`));
    assert.deepEqual(missing, [], `missing examples/${missing.join('.policy.yaml, examples/')}.policy.yaml`);
  });

  for (const name of files) {
    const file = `examples/${name}`;
    const source = readFileSync(join(EXAMPLES, name), 'utf8');

    describe(file, () => {
      it('compiles without errors', () => {
        const { policy, diagnostics } = compilePolicy(source, file);
        assert.equal(errorsOf(diagnostics), '');
        assert.ok(policy);
      });

      it('reports an undeclared category where the purpose names it', () => {
        const doc = parseDocument(source, { merge: true });
        const categories = doc.getIn(['purposes', 0, 'categories'], true);
        assert.ok(isSeq(categories));
        categories.items[0] = new Scalar('custom.undeclared_probe');
        const text = String(doc);
        const brokenFile = file.replace('.policy.yaml', '.undeclared.policy.yaml');
        const before = text.slice(0, text.indexOf('custom.undeclared_probe'));
        const at: [number, number] = [before.split('\n').length, before.length - before.lastIndexOf('\n')];
        expectOne(text, brokenFile, 'undeclared-category', 'purposes[0].categories[0]', at);
      });

      it('reports a cross-border recipient without a safeguard at the recipient', () => {
        const doc = parseDocument(source, { merge: true });
        const { operator, recipients = [] } = doc.toJS() as { operator: Entity; recipients?: { country: string }[] };
        const home = homeRegion(operator);
        assert.ok(recipients.length > 0, 'every example declares recipients');
        // Only recipients whose own map states the safeguard (not one merged from an anchor).
        let index = recipients.findIndex((r, i) => {
          const node = doc.getIn(['recipients', i], true);
          return isCrossBorder(r.country, home) && isMap(node) && node.has('safeguard');
        });
        if (index < 0) {
          // No transfer abroad in this example: move its first recipient abroad, unprotected.
          index = 0;
          doc.setIn(['recipients', 0, 'country'], home === 'US' ? 'CN' : 'US');
        }
        doc.deleteIn(['recipients', index, 'safeguard']);
        const text = String(doc);
        expectOne(
          text,
          file.replace('.policy.yaml', '.no-safeguard.policy.yaml'),
          'cross-border-safeguard-missing',
          `recipients[${index}].safeguard`,
          startOf(text, ['recipients', index]),
        );
      });

      it('reports a purpose without retention at the purpose', () => {
        const doc = parseDocument(source, { merge: true });
        assert.ok(doc.hasIn(['purposes', 0, 'retention']));
        doc.deleteIn(['purposes', 0, 'retention']);
        const text = String(doc);
        expectOne(
          text,
          file.replace('.policy.yaml', '.no-retention.policy.yaml'),
          'retention-missing',
          'purposes[0].retention',
          startOf(text, ['purposes', 0]),
        );
      });
    });
  }
});
