import { displayHeatmapForFinding, type AnalysisResult, type Heatmap } from '../engine';

/**
 * Bytes of display maps kept for the image shown: every finding's map of a 7x7-CAM model
 * (14 x 224 x 224 x 4 B = 2.7 MiB) fits, so toggling a map back on costs no rebuild.
 */
export const DISPLAY_MAP_BUDGET_BYTES = 4 * 1024 * 1024;

/**
 * The display maps of one result (one image), built from its CAMs only when asked for and kept
 * within a byte budget: past it, the least recently used maps that are not shown go first (shown
 * ones stay: they are on screen). Another result drops them all: maps are kept for one image.
 */
export class DisplayMapCache {
  private result?: AnalysisResult;
  /** Least recently used first (a Map keeps insertion order; a use re-inserts). */
  private readonly maps = new Map<string, Heatmap>();

  constructor(
    readonly budgetBytes = DISPLAY_MAP_BUDGET_BYTES,
    private readonly build: (result: AnalysisResult, findingIndex: number) => Heatmap = displayHeatmapForFinding,
  ) {}

  /** One finding's map of `result`; `shown` are the findings whose maps must not be evicted now. */
  get(result: AnalysisResult, finding: string, shown: readonly string[]): Heatmap | undefined {
    if (this.result !== result) {
      this.release();
      this.result = result;
    }
    const kept = this.maps.get(finding);
    if (kept) {
      this.maps.delete(finding);
      this.maps.set(finding, kept);
      return kept;
    }
    const index = result.findings.findIndex((f) => f.name === finding);
    if (index < 0) return undefined;
    const map = this.build(result, index);
    this.maps.set(finding, map);
    this.evict([...shown, finding]);
    return map;
  }

  /** Bytes of the maps kept now. */
  get bytes(): number {
    let total = 0;
    for (const map of this.maps.values()) total += map.data.byteLength;
    return total;
  }

  /** Findings whose maps are kept now, least recently used first. */
  get kept(): string[] {
    return [...this.maps.keys()];
  }

  release(): void {
    this.maps.clear();
    this.result = undefined;
  }

  private evict(keep: readonly string[]): void {
    for (const finding of [...this.maps.keys()]) {
      if (this.bytes <= this.budgetBytes) return;
      if (!keep.includes(finding)) this.maps.delete(finding);
    }
  }
}
