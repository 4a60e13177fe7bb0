/**
 * "Did you mean": the candidates closest to a mistyped word, as kubectl and git suggest them. Distance is
 * optimal string alignment (Levenshtein plus the swap of two neighbours, the commonest typo); a candidate is
 * offered when at most a third of the word (at least one edit) differs, or when it starts with the word.
 */
export function suggestions(word: string, candidates: Iterable<string>): string[] {
  const wanted = word.toLowerCase();
  const limit = Math.max(1, Math.floor(wanted.length / 3));
  let best = Infinity;
  let found: string[] = [];
  for (const candidate of new Set(candidates)) {
    const lower = candidate.toLowerCase();
    const distance = lower.startsWith(wanted) && wanted.length >= 2 ? 0.5 : editDistance(wanted, lower);
    if (distance > limit || distance > best) continue;
    if (distance < best) found = [];
    best = distance;
    found.push(candidate);
  }
  return found.sort();
}

/** ` (did you mean "brokers"?)` or '' when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const close = suggestions(word, candidates);
  return close.length === 0 ? '' : ` (did you mean ${close.map((c) => `"${c}"`).join(' or ')}?)`;
}

function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (rows[i - 2] as number[])[j - 2]! + 1);
      }
      row.push(value);
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}
