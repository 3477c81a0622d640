/**
 * NodeScoreMemo keeps scores only for the same table and the same pod inputs, and its entries
 * are trusted only at the row versions they were computed at (plugins check that; here the
 * arrays themselves are inspected). NodeResultMemo keeps its entries for the same table and key
 * and marks stale exactly the rows stamped since (all of them when the change log no longer
 * reaches back). InputEpoch moves on only when its input changes in value.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHANGE_LOG_SIZE, NodeInfo, NodeTable } from '../../src/scheduler/node-info.js';
import { InputEpoch, NodeResultMemo, NodeScoreMemo, STALE } from '../../src/scheduler/score-memo.js';

function remember(memo: NodeScoreMemo, table: NodeTable, row: number, score: number): void {
  memo.seen[row] = table.version[row];
  memo.scores[row] = score;
}

describe('NodeScoreMemo', () => {
  it('keeps its entries while the table and the inputs stay, and forgets them when either changes', () => {
    const table = new NodeTable();
    const row = table.acquire();
    const memo = new NodeScoreMemo();
    memo.begin(table, 100, 200);
    assert.equal(memo.seen[row], 0, 'nothing is known at first');
    remember(memo, table, row, 42);
    memo.begin(table, 100, 200);
    assert.equal(memo.seen[row], table.version[row]);
    assert.equal(memo.scores[row], 42);
    memo.begin(table, 100, 300);
    assert.equal(memo.seen[row], 0, 'other inputs');
    remember(memo, table, row, 7);
    const other = new NodeTable();
    other.acquire();
    memo.begin(other, 100, 300);
    assert.equal(memo.seen[row], 0, 'another table');
  });

  it('grows with the table', () => {
    const table = new NodeTable();
    const memo = new NodeScoreMemo();
    memo.begin(table, 1, 1);
    let row = 0;
    while (row < 100) row = table.acquire();
    memo.begin(table, 1, 1);
    assert.ok(memo.seen.length >= table.capacity && memo.scores.length >= table.capacity);
    assert.equal(memo.seen[row], 0);
  });
});

describe('NodeResultMemo', () => {
  const key = (...epochs: number[]) => Float64Array.from(epochs);

  it('keeps entries for the same table and key, and marks stale the rows stamped since', () => {
    const table = new NodeTable();
    const [a, b] = [new NodeInfo('a', table), new NodeInfo('b', table)];
    const memo = new NodeResultMemo(2);
    memo.begin(table, key(1, 2));
    assert.deepEqual([memo.totals[a.slot], memo.totals[b.slot]], [STALE, STALE], 'nothing is known at first');
    memo.totals[a.slot] = 10;
    memo.totals[b.slot] = 20;
    memo.begin(table, key(1, 2));
    assert.deepEqual([memo.totals[a.slot], memo.totals[b.slot]], [10, 20]);
    b.touch();
    memo.begin(table, key(1, 2));
    assert.deepEqual([memo.totals[a.slot], memo.totals[b.slot]], [10, STALE], 'b changed');
    memo.totals[b.slot] = 21;
    memo.begin(table, key(1, 3));
    assert.deepEqual([memo.totals[a.slot], memo.totals[b.slot]], [STALE, STALE], 'another key');
  });

  it('forgets everything when more rows changed than the change log holds', () => {
    const table = new NodeTable();
    const [a, b] = [new NodeInfo('a', table), new NodeInfo('b', table)];
    const memo = new NodeResultMemo(1);
    memo.begin(table, key(1));
    memo.totals[a.slot] = 10;
    a.touch();
    for (let i = 0; i < CHANGE_LOG_SIZE; i++) b.touch();
    memo.begin(table, key(1));
    assert.equal(memo.totals[a.slot], STALE);
  });

  it('starts over on another table, and grows with the table', () => {
    const table = new NodeTable();
    const a = new NodeInfo('a', table);
    const memo = new NodeResultMemo(1);
    memo.begin(table, key(1));
    memo.totals[a.slot] = 10;
    const other = new NodeTable();
    new NodeInfo('x', other);
    memo.begin(other, key(1));
    assert.equal(memo.totals[a.slot], STALE);
    let row = 0;
    while (row < 100) row = new NodeInfo(`n${row}`, other).slot;
    memo.begin(other, key(1));
    assert.ok(memo.totals.length >= other.capacity);
    assert.equal(memo.totals[row], STALE);
  });
});

describe('InputEpoch', () => {
  it('moves on when the input differs in value from the previous one, not when only its identity does', () => {
    const epoch = new InputEpoch<{ n: number }>((x, y) => x.n === y.n);
    const first = epoch.note({ n: 1 });
    assert.equal(epoch.note({ n: 1 }), first);
    const second = epoch.note({ n: 2 });
    assert.notEqual(second, first);
    assert.notEqual(epoch.note({ n: 1 }), first, 'an epoch is never reused');
  });
});
