/**
 * The simulator's random numbers: a small, fast, seeded generator
 * (xoshiro128**, seeded through splitmix32), so a run is reproducible byte
 * for byte. Every freelancer gets a stream of its own derived from (seed,
 * index): the baseline and the candidate draw the same numbers for the same
 * freelancer (common random numbers), and adding freelancers never changes
 * the draws of the others.
 */

function splitmix32(state: number): { state: number; value: number } {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return { state: next, value: (z ^ (z >>> 16)) >>> 0 };
}

const TWO_POW_32 = 4_294_967_296;

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** A stream for (seed, stream): both whole numbers from 0 to 2^31 - 1. */
  constructor(seed: number, stream = 0) {
    let s = (seed ^ Math.imul(stream + 1, 0x27d4eb2d)) | 0;
    const words: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const step = splitmix32(s);
      s = step.state ^ Math.imul(stream, 0x165667b1);
      words.push(step.value);
    }
    [this.a, this.b, this.c, this.d] = words as [number, number, number, number];
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** The next 32 random bits, as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Standard normal (Box-Muller; one value per call, so the draw count stays fixed). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Poisson with mean `mean` (inversion; the mean is small, and capped by `max`). */
  poisson(mean: number, max: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit && k < max) {
      k += 1;
      p *= this.next();
    }
    return k;
  }

  /** Index picked with probability proportional to its weight. */
  pick(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let u = this.next() * total;
    for (let i = 0; i < weights.length; i += 1) {
      u -= weights[i] as number;
      if (u < 0) return i;
    }
    return weights.length - 1;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
