import { describe, expect, it } from 'vitest';
import { memoryStockGate } from './stock-gate.service';

// The queue at the gate (no database: the gate in memory, told what statements found).

const soon = <T>(p: Promise<T>, ms = 500) =>
  Promise.race([p, new Promise<'still waiting'>((r) => setTimeout(() => r('still waiting'), ms))]);

describe('buyers waiting at the stock gate', () => {
  it('the one behind an order that failed is let through; behind the one that sold the last unit, refused', async () => {
    const gate = memoryStockGate();
    await gate.restocked('offer', 1);
    const first = await gate.admit('offer', 1, null);
    expect(first).not.toBeNull();
    const second = gate.admit('offer', 1, null);
    expect(await soon(second, 100)).toBe('still waiting');
    // the first order failed (its statement wrote nothing): its unit is free again
    gate.release(first!);
    const through = await soon(second);
    if (through === null || through === 'still waiting') throw new Error(`second: ${through}`);

    const third = gate.admit('offer', 1, null);
    expect(await soon(third, 100)).toBe('still waiting');
    // the second sold the last unit
    await gate.remember(through, 0);
    gate.release(through);
    expect(await soon(third)).toBeNull();
  });

  it('a queue of 50 for 10 units in flight: each win wakes no one, the last one answers them all', async () => {
    const gate = memoryStockGate();
    await gate.restocked('offer', 10);
    const winners = await Promise.all(
      Array.from({ length: 10 }, () => gate.admit('offer', 1, null)),
    );
    expect(winners.every((t) => t !== null)).toBe(true);
    let answered = 0;
    const queue = Array.from({ length: 50 }, () =>
      gate.admit('offer', 1, null).then((t) => {
        answered++;
        return t;
      }),
    );
    for (const [i, t] of winners.entries()) {
      await gate.remember(t!, 9 - i);
      gate.release(t!);
      await new Promise((r) => setTimeout(r, 5));
      if (i < 9) expect(answered).toBe(0);
    }
    expect(await Promise.all(queue)).toEqual(Array.from({ length: 50 }, () => null));
  });

  it('a buyer asking for more than is left is refused at once, while others still wait', async () => {
    const gate = memoryStockGate();
    await gate.restocked('offer', 3);
    const t = await gate.admit('offer', 2, null);
    const small = gate.admit('offer', 1, null); // fits: 3 - 2 = 1
    expect(await soon(small)).not.toBeNull();
    const big = gate.admit('offer', 2, null); // waits: 3 left, 3 in flight
    expect(await soon(big, 100)).toBe('still waiting');
    await gate.remember(t!, 1); // the 2 sold; 1 left, 1 still in flight
    gate.release(t!);
    expect(await soon(big)).toBeNull();
  });
});
