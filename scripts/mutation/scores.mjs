#!/usr/bin/env node
// Mutation score per core folder from Stryker's JSON report, as a Markdown table:
//   node scripts/mutation/scores.mjs [reports/mutation/mutation.json]
// Score = detected (killed + timed out) / valid (detected + survived + no coverage), as
// Stryker counts it; ignored mutants (equivalent, see mutation/EQUIVALENT.md) and ones that
// do not compile are left out.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2] ?? 'reports/mutation/mutation.json', 'utf8'));

/** Longest match wins: a file belongs to the first group whose prefix it starts with. */
const GROUPS = ['src/decisions/', 'src/consent/', 'src/journal/', 'src/crypto/', 'src/vault/', 'src/policy/semantics.ts', 'src/http/errors.ts', 'src/law/'];

const empty = () => ({ killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0, invalid: 0 });
const totals = new Map(GROUPS.map((g) => [g, empty()]));
const all = empty();

for (const [file, { mutants }] of Object.entries(report.files)) {
  const path = file.replaceAll('\\', '/');
  const group = GROUPS.find((g) => path.startsWith(g) || path.includes(`/${g}`));
  if (!group) continue;
  for (const mutant of mutants) {
    const key = { Killed: 'killed', Timeout: 'timeout', Survived: 'survived', NoCoverage: 'noCoverage', Ignored: 'ignored' }[mutant.status] ?? 'invalid';
    totals.get(group)[key]++;
    all[key]++;
  }
}

const score = (t) => {
  const valid = t.killed + t.timeout + t.survived + t.noCoverage;
  return valid === 0 ? 'n/a' : `${((100 * (t.killed + t.timeout)) / valid).toFixed(1)} %`;
};
const row = (name, t) => `| ${name} | ${score(t)} | ${t.killed} | ${t.timeout} | ${t.survived} | ${t.noCoverage} | ${t.ignored} | ${t.invalid} |`;

console.log('| Folder | Score | Killed | Timeout | Survived | No coverage | Ignored | Compile errors |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const [group, t] of totals) if (Object.values(t).some((n) => n > 0)) console.log(row(group, t));
console.log(row('**core**', all));
