/**
 * A small seeded random source (mulberry32) and identifiers made from it, so that the same seed
 * always gives the same synthetic data.
 */
export class Rng {
  private state: number;
  /** Part of every identifier this source makes: mulberry32's streams are one sequence at different offsets, so two sources can draw the same numbers. */
  private readonly stream: string;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
    this.stream = (seed >>> 0).toString(16).padStart(8, '0');
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /**
   * A version-7 UUID for an instant: time-ordered like the ones the application makes, random bits
   * from the seed, and the last 32 bits the source's own seed (sources with different seeds never
   * make the same identifier, even when their draws coincide at the same millisecond).
   */
  uuid7(ms: number): string {
    const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
    const time = hex(Math.max(0, Math.floor(ms)), 12);
    const r = () => Math.floor(this.next() * 0x10000);
    return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${hex(r() & 0xfff, 3)}-${hex((r() & 0x3fff) | 0x8000, 4)}-${hex(r(), 4)}${this.stream}`;
  }
}

/** A child seed from a parent seed and a label, so that parts of the data do not depend on each other's draws. */
export function deriveSeed(seed: number, label: string): number {
  let h = seed ^ 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
