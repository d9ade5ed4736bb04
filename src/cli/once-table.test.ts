import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inReadingOrder } from './once-table.ts';
import type { SignalResult } from '../core/verdict.ts';

const verdict = (signal: string, status: SignalResult['status']) => ({ signal, status }) as SignalResult;

describe('the once table’s row order', () => {
  const cases: [string, SignalResult['status'][], string[]][] = [
    ['drift before ok', ['ok', 'drift'], ['b', 'a']],
    ['drift, error, no_data, ok', ['ok', 'no_data', 'error', 'drift'], ['d', 'c', 'b', 'a']],
    ['ties keep the report’s order', ['drift', 'ok', 'drift', 'ok'], ['a', 'c', 'b', 'd']],
    ['nothing to sort', [], []],
  ];
  for (const [name, statuses, expected] of cases) {
    it(name, () => {
      const signals = statuses.map((s, k) => verdict(String.fromCharCode(97 + k), s));
      assert.deepEqual(
        inReadingOrder(signals).map((r) => r.signal),
        expected,
      );
    });
  }
});
