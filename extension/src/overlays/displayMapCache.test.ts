import { displayHeatmapForFinding, type AnalysisResult, type Heatmap } from '../engine';
import { resultWithCams } from './resultWithCams.fixture';
import { DISPLAY_MAP_BUDGET_BYTES, DisplayMapCache } from './displayMapCache';

describe('DisplayMapCache', () => {
  const result = resultWithCams(
    Float32Array.from({ length: 5 * 49 }, (_, i) => (i % 13) / 100),
    5,
  );
  const one = displayHeatmapForFinding(result, 0).data.byteLength;

  it('builds a map only when asked, once, and keeps every finding of a 14-finding film within the budget', () => {
    const built: number[] = [];
    const cache = new DisplayMapCache(DISPLAY_MAP_BUDGET_BYTES, (r: AnalysisResult, i: number) => {
      built.push(i);
      return displayHeatmapForFinding(r, i);
    });
    expect(cache.bytes).toBe(0);
    const first = cache.get(result, 'F2', []);
    expect(cache.get(result, 'F2', ['F2'])).toBe(first);
    expect(built).toEqual([2]);
    // A 1955 x 1841 film's 14 maps of 224 x 224 fit the budget with room to spare.
    expect(14 * 224 * 224 * 4).toBeLessThanOrEqual(DISPLAY_MAP_BUDGET_BYTES);
    expect(cache.get(result, 'nope', [])).toBeUndefined();
  });

  it('past the budget, evicts the least recently used maps that are not shown, never a shown one', () => {
    const cache = new DisplayMapCache(2.5 * one);
    cache.get(result, 'F0', []);
    cache.get(result, 'F1', []);
    cache.get(result, 'F0', ['F0']); // F0 used again: F1 is now the oldest
    cache.get(result, 'F2', ['F0']);
    expect(cache.kept).toEqual(['F0', 'F2']);
    expect(cache.bytes).toBeLessThanOrEqual(2.5 * one);
    // Three shown maps over a two-map budget: all three stay (they are on screen).
    cache.get(result, 'F3', ['F0', 'F2', 'F3']);
    expect(cache.kept.sort()).toEqual(['F0', 'F2', 'F3']);
    // Once hidden, the oldest go first until the rest fit.
    cache.get(result, 'F4', ['F4']);
    expect(cache.kept).toEqual(['F3', 'F4']);
  });

  it('keeps maps for one result only', () => {
    const cache = new DisplayMapCache();
    const map: Heatmap | undefined = cache.get(result, 'F0', []);
    const other = { ...result };
    expect(cache.get(other, 'F0', [])).not.toBe(map);
    expect(cache.kept).toEqual(['F0']);
    cache.release();
    expect(cache.bytes).toBe(0);
  });
});
