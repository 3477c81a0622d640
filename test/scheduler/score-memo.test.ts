/**
 * NodeScoreMemo keeps scores only for the same table and the same pod inputs, and its entries
 * are trusted only at the row versions they were computed at (plugins check that; here the
 * arrays themselves are inspected).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NodeTable } from '../../src/scheduler/node-info.js';
import { NodeScoreMemo } from '../../src/scheduler/score-memo.js';

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
