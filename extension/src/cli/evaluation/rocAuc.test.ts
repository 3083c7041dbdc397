import { rocAuc } from './rocAuc';

describe('rocAuc', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one and 0.5 for all ties', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [false, false, true, true])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [false, false, true, true])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5], [true, false, false])).toBe(0.5);
  });

  it('counts pairs: 3 positives x 2 negatives with one pair misordered and one tie', () => {
    // Pairs (pos > neg): 0.9>0.3, 0.9>0.6, 0.6=0.6 (half), 0.6>0.3, 0.2<0.3, 0.2<0.6 -> 3.5 / 6
    expect(rocAuc([0.9, 0.6, 0.2, 0.3, 0.6], [true, true, true, false, false])).toBeCloseTo(3.5 / 6, 12);
  });

  it('is undefined without both classes', () => {
    expect(rocAuc([0.1, 0.2], [false, false])).toBeUndefined();
    expect(rocAuc([0.1, 0.2], [true, true])).toBeUndefined();
  });
});
