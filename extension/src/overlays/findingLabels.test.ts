import { placeCaptions, type CaptionBox } from './findingLabels';

const overlap = (a: CaptionBox, b: CaptionBox) =>
  a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;

const caption = (left: number, top: number): CaptionBox => ({ left, top, width: 130, height: 18 });

describe('placeCaptions', () => {
  test('captions of peaks close together get boxes that do not intersect', () => {
    const wanted = [caption(400, 300), caption(410, 306), caption(395, 296)];
    const placed = placeCaptions(wanted, 1000);
    for (let i = 0; i < placed.length; i++) {
      for (let j = i + 1; j < placed.length; j++) expect(overlap(placed[i], placed[j])).toBe(false);
    }
    // Moved up or down only: each stays beside its own peak.
    expect(placed.map((b) => b.left)).toEqual(wanted.map((b) => b.left));
    // The first keeps its place; the next goes to the nearest free slot, just above or below it.
    expect(placed[0]).toEqual(wanted[0]);
    const shift = Math.abs(placed[1].top - wanted[1].top);
    expect(shift).toBeLessThanOrEqual(wanted[0].height + (wanted[1].top - wanted[0].top) + 2);
  });

  test('captions of peaks far apart keep their positions', () => {
    const wanted = [caption(100, 100), caption(100, 400), caption(500, 100)];
    expect(placeCaptions(wanted, 1000)).toEqual(wanted);
  });

  test('a caption that would leave the viewport moves the other way', () => {
    const wanted = [caption(400, 0), caption(400, 4)];
    const placed = placeCaptions(wanted, 600);
    expect(overlap(placed[0], placed[1])).toBe(false);
    expect(placed[1].top).toBeGreaterThanOrEqual(0);
  });
});
