/**
 * Seeded pseudo-random numbers for reproducible demo weights.
 * mulberry32 for uniforms plus Box-Muller for normals: tiny, fast and, unlike Math.random,
 * identical on every run, so the same seed always gives byte-identical model files.
 */

// Bound once: looking `Math` up per call is ~100x slower inside a vm sandbox such as jest's.
const { imul, log, sqrt, sin, cos, PI } = Math;
export class SeededRandom {
  private state: number;
  /** Box-Muller yields normals in pairs; the second one waits here. */
  private spareNormal: number | null = null;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) {
      throw new Error(`seed must be an integer, got ${seed}`);
    }
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1), 32 bits of resolution (mulberry32). */
  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal sample (Box-Muller). */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    // 1 - uniform() lies in (0, 1], so the logarithm stays finite.
    const radius = sqrt(-2 * log(1 - this.uniform()));
    const angle = 2 * PI * this.uniform();
    this.spareNormal = radius * sin(angle);
    return radius * cos(angle);
  }

  /** `count` samples of N(mean, std^2) as float32. */
  normalArray(count: number, std: number, mean = 0): Float32Array {
    const values = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      values[i] = mean + std * this.normal();
    }
    return values;
  }

  /** A child generator whose stream does not depend on how much of this one was used. */
  static derive(seed: number, stream: number): SeededRandom {
    // Mix the stream id into the seed with a multiplicative hash so streams do not overlap.
    return new SeededRandom((imul(seed >>> 0, 0x9e3779b1) ^ imul(stream + 1, 0x85ebca6b)) >>> 0);
  }
}
