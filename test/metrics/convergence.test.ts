/**
 * ConvergenceTracker, driven by hand-written commits: the first instant after a trigger at which
 * every workload matches its spec on its pods and nothing is unschedulable; null with a reason if never.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deployment } from '../../src/api/types/deployment.js';
import type { ReplicaSet } from '../../src/api/types/replicaset.js';
import { editable } from '../helpers/engine-fixtures.js';
import { metricsHarness } from './harness.js';

/** web: 2 replicas (pods a1, a2) created at 0; pods ready at 3 s; the controller reports done at 4 s. */
function web() {
  const h = metricsHarness();
  h.at(0, () => {
    const d = h.deployment('web', 2);
    const rs = h.replicaSet('web-a', 2, d);
    h.pod('a1', rs);
    h.pod('a2', rs);
    h.convergence.trigger('initial');
  });
  h.at(3000, () => {
    h.ready('a1');
    h.ready('a2');
  });
  h.at(4000, () => h.deploymentDone('web', 2));
  return h;
}

describe('ConvergenceTracker', () => {
  it('an empty cluster converges at once', () => {
    const h = metricsHarness();
    h.at(0, () => h.convergence.trigger('initial'));
    h.at(7000, () => h.convergence.trigger('cordon node/x'));
    h.run(10_000);
    assert.deepEqual(h.convergence.finish(), [
      { trigger: 'initial', at: 0, convergedAt: 0, seconds: 0 },
      { trigger: 'cordon node/x', at: 7, convergedAt: 7, seconds: 0 },
    ]);
  });

  it('a Deployment converges when its status says done and its pods agree, whichever comes last', () => {
    const h = web();
    h.run(10_000);
    assert.deepEqual(h.convergence.finish(), [{ trigger: 'initial', at: 0, convergedAt: 4, seconds: 4 }]);
  });

  it('waits for the pods even when the status already says done', () => {
    const h = metricsHarness();
    h.at(0, () => {
      const d = h.deployment('web', 1);
      h.pod('a1', h.replicaSet('web-a', 1, d));
      h.deploymentDone('web', 1);
      h.convergence.trigger('initial');
    });
    h.at(2500, () => h.ready('a1'));
    h.run(10_000);
    assert.deepEqual(h.convergence.finish().map((c) => c.convergedAt), [2.5]);
  });

  it('times each trigger from its own instant', () => {
    const h = web();
    h.at(10_000, () => {
      h.scale('web', 3);
      h.convergence.trigger('scale deployment/web');
      h.pod('a3', h.api.get<ReplicaSet>('ReplicaSet', 'default', 'web-a'));
    });
    h.at(12_000, () => h.ready('a3'));
    h.at(13_000, () => h.deploymentDone('web', 3));
    h.run(20_000);
    assert.deepEqual(h.convergence.finish(), [
      { trigger: 'initial', at: 0, convergedAt: 4, seconds: 4 },
      { trigger: 'scale deployment/web', at: 10, convergedAt: 13, seconds: 3 },
    ]);
  });

  it('triggers still open together close at the same instant', () => {
    const h = web();
    h.at(1000, () => h.convergence.trigger('a'));
    h.at(2000, () => h.convergence.trigger('b'));
    h.run(10_000);
    assert.deepEqual(h.convergence.finish().map((c) => [c.trigger, c.at, c.convergedAt, c.seconds]), [
      ['initial', 0, 4, 4],
      ['a', 1, 4, 3],
      ['b', 2, 4, 2],
    ]);
  });

  it('more pods than replicas is not converged; a terminating pod no longer counts', () => {
    const h = web();
    h.at(5000, () => {
      h.convergence.trigger('extra');
      h.pod('a3', h.api.get<ReplicaSet>('ReplicaSet', 'default', 'web-a'), 'node-1');
      h.ready('a3');
    });
    h.at(8000, () => h.deletePod('a3')); // bound, so it lingers as terminating
    h.run(10_000);
    assert.deepEqual(h.convergence.finish()[1], { trigger: 'extra', at: 5, convergedAt: 8, seconds: 3 });
  });

  it('never converging gives null with the reason', () => {
    const h = web();
    h.at(10_000, () => {
      h.scale('web', 3);
      h.convergence.trigger('scale deployment/web');
      h.pod('a3', h.api.get<ReplicaSet>('ReplicaSet', 'default', 'web-a'));
    });
    h.run(30_000);
    assert.deepEqual(h.convergence.finish()[1], {
      trigger: 'scale deployment/web', at: 10, convergedAt: null, seconds: null,
      reason: 'not converged by the end of the run: deployment/web: 2 of 3 pods available, 2 updated, 3 exist',
    });
  });

  it('an unschedulable pod blocks convergence, even one no workload owns', () => {
    const h = web();
    h.at(5000, () => {
      h.convergence.trigger('create pod/stray');
      h.pod('stray');
      h.unschedulable('stray');
    });
    h.run(10_000);
    const last = h.convergence.finish()[1];
    assert.equal(last.convergedAt, null);
    assert.equal(last.reason, 'not converged by the end of the run: 1 pod(s) unschedulable');
  });

  it('mentions an exceeded progress deadline in the reason', () => {
    const h = web();
    h.at(5000, () => {
      h.convergence.trigger('setImage deployment/web');
      h.setImage('web', 'app:v2');
      h.deploymentStatus('web', {
        replicas: 2, updatedReplicas: 0, availableReplicas: 2,
        conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
      });
    });
    h.run(10_000);
    assert.match(h.convergence.finish()[1].reason ?? '', /deployment\/web: 2 of 2 pods available, 0 updated, 2 exist; progress deadline exceeded$/);
  });

  it('a paused Deployment converges when the pods of its ReplicaSets all exist and are available', () => {
    const h = web();
    h.at(5000, () => {
      const d = editable<Deployment>(h.api.get<Deployment>('Deployment', 'default', 'web'));
      d.spec.paused = true;
      d.spec.template.spec.containers[0].image = 'app:v2'; // not rolled out while paused
      h.api.update(d);
      h.convergence.trigger('pause');
    });
    h.run(10_000);
    assert.deepEqual(h.convergence.finish()[1], { trigger: 'pause', at: 5, convergedAt: 5, seconds: 0 });
  });

  it('an unowned ReplicaSet converges with exactly replicas pods available at its latest generation', () => {
    const h = metricsHarness();
    h.at(0, () => {
      const rs = h.replicaSet('lone', 1);
      h.pod('p1', rs);
      h.convergence.trigger('initial');
    });
    h.at(1000, () => h.ready('p1')); // pods agree, status generation not observed yet
    h.at(2000, () => h.replicaSetStatus('lone', 1, 0));
    h.at(3000, () => h.replicaSetStatus('lone', 1));
    h.run(10_000);
    assert.deepEqual(h.convergence.finish(), [{ trigger: 'initial', at: 0, convergedAt: 3, seconds: 3 }]);
  });

  it('a deleted workload stops counting against convergence', () => {
    const h = metricsHarness();
    h.at(0, () => {
      const d = h.deployment('web', 1);
      h.pod('a1', h.replicaSet('web-a', 1, d));
      h.convergence.trigger('initial');
    });
    h.at(6000, () => {
      h.api.delete('Pod', 'default', 'a1');
      h.api.delete('ReplicaSet', 'default', 'web-a');
      h.api.delete('Deployment', 'default', 'web');
    });
    h.run(10_000);
    assert.deepEqual(h.convergence.finish(), [{ trigger: 'initial', at: 0, convergedAt: 6, seconds: 6 }]);
  });
});
