import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ControllerExpectations, EXPECTATIONS_TIMEOUT_MS, UIDTrackingExpectations } from '../../src/cluster/expectations.js';

function clock(start = 0) {
  let now = start;
  return { now: () => now, set: (t: number) => (now = t) };
}

describe('ControllerExpectations', () => {
  it('the timeout is 5 minutes', () => {
    assert.equal(EXPECTATIONS_TIMEOUT_MS, 300_000);
  });

  it('is satisfied with no record', () => {
    const e = new ControllerExpectations(() => 0);
    assert.equal(e.satisfiedExpectations('rs'), true);
    assert.equal(e.get('rs'), undefined);
  });

  it('is unsatisfied until every expected creation is observed', () => {
    const e = new ControllerExpectations(() => 0);
    e.expectCreations('rs', 3);
    assert.deepEqual(e.get('rs'), { add: 3, del: 0 });
    e.creationObserved('rs');
    e.creationObserved('rs');
    assert.equal(e.satisfiedExpectations('rs'), false);
    e.creationObserved('rs');
    assert.equal(e.satisfiedExpectations('rs'), true);
  });

  it('needs both adds and deletes fulfilled', () => {
    const e = new ControllerExpectations(() => 0);
    e.setExpectations('rs', 1, 1);
    e.creationObserved('rs');
    assert.equal(e.satisfiedExpectations('rs'), false);
    e.deletionObserved('rs');
    assert.equal(e.satisfiedExpectations('rs'), true);
  });

  it('stays satisfied when more events than expected arrive (counts go negative)', () => {
    const e = new ControllerExpectations(() => 0);
    e.expectDeletions('rs', 1);
    e.deletionObserved('rs');
    e.deletionObserved('rs');
    assert.deepEqual(e.get('rs'), { add: 0, del: -1 });
    assert.equal(e.satisfiedExpectations('rs'), true);
  });

  it('expires strictly after 5 minutes from when they were set', () => {
    const c = clock(1000);
    const e = new ControllerExpectations(c.now);
    e.expectCreations('rs', 2);
    c.set(1000 + EXPECTATIONS_TIMEOUT_MS);
    assert.equal(e.satisfiedExpectations('rs'), false, 'exactly 5 min: not yet expired');
    c.set(1000 + EXPECTATIONS_TIMEOUT_MS + 1);
    assert.equal(e.satisfiedExpectations('rs'), true);
  });

  it('raising keeps the original timestamp; setting anew resets it', () => {
    const c = clock(0);
    const e = new ControllerExpectations(c.now);
    e.expectCreations('rs', 1);
    c.set(200_000);
    e.raiseExpectations('rs', 1, 0);
    assert.deepEqual(e.get('rs'), { add: 2, del: 0 });
    c.set(EXPECTATIONS_TIMEOUT_MS + 1);
    assert.equal(e.satisfiedExpectations('rs'), true, 'expired from the first timestamp');
    e.expectCreations('rs', 1);
    assert.equal(e.satisfiedExpectations('rs'), false, 'a new record starts a new timeout');
  });

  it('raise/lower on a missing record do nothing; deleteExpectations forgets the key', () => {
    const e = new ControllerExpectations(() => 0);
    e.raiseExpectations('rs', 5, 5);
    e.lowerExpectations('rs', 1, 1);
    assert.equal(e.get('rs'), undefined);
    e.expectCreations('rs', 2);
    e.lowerExpectations('rs', 2, 0);
    assert.equal(e.satisfiedExpectations('rs'), true);
    e.expectCreations('rs', 2);
    e.deleteExpectations('rs');
    assert.equal(e.get('rs'), undefined);
    assert.equal(e.satisfiedExpectations('rs'), true);
  });

  it('keeps keys independent', () => {
    const e = new ControllerExpectations(() => 0);
    e.expectCreations('a', 1);
    e.creationObserved('b');
    assert.equal(e.satisfiedExpectations('a'), false);
    assert.equal(e.satisfiedExpectations('b'), true);
  });
});

describe('UIDTrackingExpectations', () => {
  it('counts each expected deletion once, even when observed twice (terminating update + delete)', () => {
    const e = new UIDTrackingExpectations(() => 0);
    e.expectDeletions('rs', ['ns/a', 'ns/b']);
    e.deletionObserved('rs', 'ns/a');
    e.deletionObserved('rs', 'ns/a');
    assert.deepEqual(e.get('rs'), { add: 0, del: 1 });
    assert.equal(e.satisfiedExpectations('rs'), false);
    e.deletionObserved('rs', 'ns/b');
    assert.equal(e.satisfiedExpectations('rs'), true);
  });

  it('ignores deletions it was not expecting', () => {
    const e = new UIDTrackingExpectations(() => 0);
    e.expectDeletions('rs', ['ns/a']);
    e.deletionObserved('rs', 'ns/other');
    e.deletionObserved('other-rs', 'ns/a');
    assert.deepEqual(e.get('rs'), { add: 0, del: 1 });
  });

  it('tracks creations like ControllerExpectations and expires after the timeout', () => {
    const c = clock(0);
    const e = new UIDTrackingExpectations(c.now);
    e.expectCreations('rs', 1);
    assert.equal(e.satisfiedExpectations('rs'), false);
    e.creationObserved('rs');
    assert.equal(e.satisfiedExpectations('rs'), true);
    e.expectDeletions('rs', ['ns/a']);
    c.set(EXPECTATIONS_TIMEOUT_MS + 1);
    assert.equal(e.satisfiedExpectations('rs'), true);
  });

  it('lowerExpectations subtracts skipped work; deleteExpectations forgets the pending keys too', () => {
    const e = new UIDTrackingExpectations(() => 0);
    e.expectCreations('rs', 4);
    e.lowerExpectations('rs', 4, 0);
    assert.equal(e.satisfiedExpectations('rs'), true);
    e.expectDeletions('rs', ['ns/a']);
    e.deleteExpectations('rs');
    e.expectCreations('rs', 0);
    e.deletionObserved('rs', 'ns/a');
    assert.deepEqual(e.get('rs'), { add: 0, del: 0 }, 'a forgotten pending key is not counted');
  });

  it('counts a key listed twice once, as upstream builds a set of keys', () => {
    // Upstream UIDTrackingControllerExpectations.ExpectDeletions puts the keys in a
    // sets.String and expects expectedUIDs.Len() deletions; here podKeys.length is expected
    // while the pending set holds one key, so the expectation can only ever be met by expiry.
    const e = new UIDTrackingExpectations(() => 0);
    e.expectDeletions('rs', ['ns/a', 'ns/a']);
    e.deletionObserved('rs', 'ns/a');
    assert.equal(e.satisfiedExpectations('rs'), true);
  });
});
