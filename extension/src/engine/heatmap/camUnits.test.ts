import { camsToLogits, logitScaleOfCams } from './camUnits';

describe('CAM units', () => {
  it('scales by the number of CAM cells, h w, whatever the finding count', () => {
    expect(logitScaleOfCams([1, 14, 7, 7])).toBe(49);
    expect(logitScaleOfCams([1, 3, 2, 5])).toBe(10);
  });

  it('turns ReLU(sum w A) / (h w) back into ReLU(sum w A)', () => {
    // A 2 x 3 grid with one finding: the summed contributions, then the graph's division by 6.
    const contributions = [0, 1.5, 3, 0.25, 6, 12];
    const graphCams = contributions.map((v) => v / 6);
    expect(Array.from(camsToLogits(graphCams, [1, 1, 2, 3]))).toEqual(contributions.map((v) => Math.fround(v)));
  });

  it('refuses a shape that is not [1, F, h, w]', () => {
    expect(() => logitScaleOfCams([14, 7, 7])).toThrow(/\[1, F, h, w\]/);
  });
});
