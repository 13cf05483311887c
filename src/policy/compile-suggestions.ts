/**
 * "Did you mean …?" for misspelt keys, operations and taxonomy ids. A diagnostic that names
 * the likely intended word saves the reader a trip to the documentation.
 */

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length]!;
}

const lastSegment = (id: string) => id.slice(id.lastIndexOf('.') + 1);

/**
 * Up to three candidates close to `input`: small edit distance, case-insensitively, or the
 * same last segment of a dotted id (`user.demographic.political_opinion` finds
 * `user.political_opinion`).
 *
 * @example closestMatches('colection', ['collection', 'use']) // ['collection']
 */
export function closestMatches(input: string, candidates: readonly string[]): string[] {
  const wanted = input.toLowerCase();
  const budget = Math.max(2, Math.floor(wanted.length / 3));
  return candidates
    .map((candidate) => {
      const distance = editDistance(wanted, candidate.toLowerCase());
      const sameLeaf = wanted.includes('.') && lastSegment(wanted) === lastSegment(candidate.toLowerCase());
      return { candidate, score: sameLeaf ? Math.min(distance, 1) : distance };
    })
    .filter(({ score }) => score <= budget)
    .sort((a, b) => a.score - b.score)
    .slice(0, 3)
    .map(({ candidate }) => candidate);
}

/** `; did you mean "x"?` or an empty string. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const matches = closestMatches(input, candidates);
  if (matches.length === 0) return '';
  return `; did you mean ${matches.map((m) => `"${m}"`).join(' or ')}?`;
}
