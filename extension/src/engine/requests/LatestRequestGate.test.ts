import { LatestRequestGate } from './LatestRequestGate';

/** A promise resolved from outside, to finish requests in any order. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('LatestRequestGate', () => {
  it('never delivers a slow result for an image that is no longer the requested one', async () => {
    const gate = new LatestRequestGate();
    const delivered: string[] = [];
    const first = deferred<string>();
    const second = deferred<string>();
    const tokenA = gate.begin('image-A', 'viewport-1');
    const runA = gate.deliverIfCurrent(tokenA, first.promise, (v) => delivered.push(v));
    const tokenB = gate.begin('image-B', 'viewport-1');
    const runB = gate.deliverIfCurrent(tokenB, second.promise, (v) => delivered.push(v));
    second.resolve('result for B');
    first.resolve('result for A'); // finishes last, but A is stale
    expect(await runB).toBe(true);
    expect(await runA).toBe(false);
    expect(delivered).toEqual(['result for B']);
    expect(gate.isCurrent(tokenA)).toBe(false);
  });

  it('keeps channels apart and drops everything on cancel', async () => {
    const gate = new LatestRequestGate();
    const one = gate.begin('image-A', 'viewport-1');
    const two = gate.begin('image-B', 'viewport-2');
    expect(gate.isCurrent(one) && gate.isCurrent(two)).toBe(true);
    gate.cancel('viewport-1');
    const delivered: string[] = [];
    expect(await gate.deliverIfCurrent(one, Promise.resolve('A'), (v) => delivered.push(v))).toBe(false);
    expect(await gate.deliverIfCurrent(two, Promise.resolve('B'), (v) => delivered.push(v))).toBe(true);
    expect(delivered).toEqual(['B']);
  });

  it('treats a repeated request for the same image as a new one', () => {
    const gate = new LatestRequestGate();
    const first = gate.begin('image-A');
    const again = gate.begin('image-A');
    expect(gate.isCurrent(first)).toBe(false);
    expect(gate.isCurrent(again)).toBe(true);
  });
});
