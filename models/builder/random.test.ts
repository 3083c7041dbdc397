import { SeededRandom } from './random';

describe('SeededRandom', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const draw = (seed: number) => Array.from(new SeededRandom(seed).normalArray(8, 1));
    expect(draw(5)).toEqual(draw(5));
    expect(draw(5)).not.toEqual(draw(6));
  });

  it('gives uniforms in [0, 1) and standard normals', () => {
    const random = new SeededRandom(1);
    const count = 200_000;
    let sum = 0;
    let squares = 0;
    let lowest = Infinity;
    let highest = -Infinity;
    for (let i = 0; i < count; i++) {
      const u = random.uniform();
      lowest = Math.min(lowest, u);
      highest = Math.max(highest, u);
      const z = random.normal();
      sum += z;
      squares += z * z;
    }
    expect(lowest).toBeGreaterThanOrEqual(0);
    expect(highest).toBeLessThan(1);
    expect(Math.abs(sum / count)).toBeLessThan(0.01);
    expect(Math.abs(squares / count - 1)).toBeLessThan(0.02);
  });

  it('derives independent streams from one seed', () => {
    const a = SeededRandom.derive(121, 0).uniform();
    const b = SeededRandom.derive(121, 1).uniform();
    expect(a).not.toBe(b);
    expect(SeededRandom.derive(121, 1).uniform()).toBe(b);
  });

  it('rejects non-integer seeds', () => {
    expect(() => new SeededRandom(1.5)).toThrow();
  });
});
