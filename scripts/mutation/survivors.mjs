#!/usr/bin/env node
// Lists the mutants that no test killed, from Stryker's JSON report, one line each:
//   node scripts/mutation/survivors.mjs [report.json] [path-prefix]
// e.g. node scripts/mutation/survivors.mjs reports/mutation/mutation.json src/journal/
import { readFileSync } from 'node:fs';

const [file = 'reports/mutation/mutation.json', prefix = ''] = process.argv.slice(2);
const report = JSON.parse(readFileSync(file, 'utf8'));
let count = 0;
for (const [path, { source, mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  if (!path.includes(prefix)) continue;
  const lines = source.split('\n');
  for (const m of mutants.sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column)) {
    if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue;
    count++;
    const { start, end } = m.location;
    const original = start.line === end.line ? lines[start.line - 1].slice(start.column - 1, end.column - 1) : `${lines[start.line - 1].slice(start.column - 1)}…`;
    const replacement = (m.replacement ?? '').replace(/\s+/g, ' ');
    console.log(`${path}:${start.line}:${start.column} ${m.status === 'NoCoverage' ? 'NO COVERAGE ' : ''}${m.mutatorName}: ${original.trim().slice(0, 90)} → ${replacement.slice(0, 90)}`);
  }
}
console.error(`${count} mutants not killed`);
