/**
 * Area under the ROC curve by the Mann-Whitney statistic: the chance that a random positive scores
 * above a random negative, ties counting half. Undefined without both classes.
 */
export function rocAuc(scores: readonly number[], positive: readonly boolean[]): number | undefined {
  const ranked = scores.map((score, i) => ({ score, positive: positive[i] })).sort((a, b) => a.score - b.score);
  const positives = ranked.filter((r) => r.positive).length;
  const negatives = ranked.length - positives;
  if (positives === 0 || negatives === 0) return undefined;
  let rankSumOfPositives = 0;
  for (let i = 0; i < ranked.length;) {
    let j = i;
    while (j < ranked.length && ranked[j].score === ranked[i].score) j++;
    const averageRank = (i + 1 + j) / 2; // ranks i+1..j share their mean
    for (let k = i; k < j; k++) if (ranked[k].positive) rankSumOfPositives += averageRank;
    i = j;
  }
  return (rankSumOfPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
}
