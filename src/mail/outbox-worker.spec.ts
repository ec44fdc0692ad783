import { backoffDelay } from './outbox-worker';

describe('backoffDelay', () => {
  const BASE = 1000;
  const MAX = 60_000;
  const top = () => 1;
  const bottom = () => 0;

  it('doubles with each attempt (at the top of the jitter range)', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, BASE, MAX, top));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 32000]);
  });

  it('keeps at least half of the exponential delay (at the bottom of the jitter range)', () => {
    const delays = [1, 2, 3, 4].map((attempt) => backoffDelay(attempt, BASE, MAX, bottom));
    expect(delays).toEqual([500, 1000, 2000, 4000]);
  });

  it('is capped at the maximum, however many attempts', () => {
    expect(backoffDelay(7, BASE, MAX, top)).toBe(MAX);
    expect(backoffDelay(50, BASE, MAX, top)).toBe(MAX);
    // 2 ** 1100 is Infinity: the cap still holds and the delay is a real number.
    expect(backoffDelay(1100, BASE, MAX, top)).toBe(MAX);
    expect(backoffDelay(1100, BASE, MAX, bottom)).toBe(MAX / 2);
    for (let attempt = 1; attempt <= 100; attempt++) expect(backoffDelay(attempt, BASE, MAX)).toBeLessThanOrEqual(MAX);
  });

  it('treats a first (or nonsensical zero or negative) attempt as the base delay', () => {
    expect(backoffDelay(1, BASE, MAX, top)).toBe(BASE);
    expect(backoffDelay(0, BASE, MAX, top)).toBe(BASE);
    expect(backoffDelay(-3, BASE, MAX, top)).toBe(BASE);
  });

  it('stays within [exp/2, exp] with real randomness, as whole milliseconds', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const exp = Math.min(MAX, BASE * 2 ** (attempt - 1));
      for (let i = 0; i < 200; i++) {
        const delay = backoffDelay(attempt, BASE, MAX);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(exp / 2);
        expect(delay).toBeLessThanOrEqual(exp);
      }
    }
  });

  it('spreads retries out: the jitter is used', () => {
    const samples = new Set(Array.from({ length: 50 }, () => backoffDelay(5, BASE, MAX)));
    expect(samples.size).toBeGreaterThan(10);
    expect(backoffDelay(5, BASE, MAX, () => 0.5)).toBe(12_000);
  });
});
