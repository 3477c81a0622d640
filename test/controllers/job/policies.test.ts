/**
 * podFailurePolicy and successPolicy matching (controllers/job/pod-failure-policy.ts,
 * success-policy.ts), table-driven after upstream's pod_failure_policy_test.go and
 * success_policy_test.go: first matching rule wins, exit code 0 never matches, container names,
 * init containers, pod conditions; rules over succeeded indexes and counts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PodFailurePolicyRule, SuccessPolicyRule } from '../../../src/api/types/job.js';
import type { Condition } from '../../../src/api/types/meta.js';
import type { ContainerStatus, Pod } from '../../../src/api/types/pod.js';
import { parseIndexesFromString } from '../../../src/controllers/job/intervals.js';
import { matchPodFailurePolicy } from '../../../src/controllers/job/pod-failure-policy.js';
import { matchSuccessPolicy, matchSucceededIndexesRule } from '../../../src/controllers/job/success-policy.js';

function terminated(name: string, exitCode: number): ContainerStatus {
  return { name, image: 'i', ready: false, restartCount: 0, state: { terminated: { exitCode } } };
}

function failedPod(containers: ContainerStatus[], init: ContainerStatus[] = [], conditions: Condition[] = []): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns' },
    spec: { containers: [] },
    status: { phase: 'Failed', containerStatuses: containers, initContainerStatuses: init, conditions },
  };
}

const onExit = (action: PodFailurePolicyRule['action'], operator: 'In' | 'NotIn', values: number[], containerName?: string): PodFailurePolicyRule => ({
  action,
  onExitCodes: { operator, values, ...(containerName !== undefined ? { containerName } : {}) },
});

describe('matchPodFailurePolicy', () => {
  const cases: { name: string; rules: PodFailurePolicyRule[]; pod: Pod; message?: string; countFailed: boolean; action?: string }[] = [
    { name: 'no rule matches: counted', rules: [onExit('FailJob', 'In', [5])], pod: failedPod([terminated('main', 1)]), countFailed: true },
    {
      name: 'FailJob on an exit code, with upstream’s message',
      rules: [onExit('FailJob', 'In', [42])],
      pod: failedPod([terminated('main', 42)]),
      message: 'Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 0',
      countFailed: true,
      action: 'FailJob',
    },
    { name: 'Ignore: not counted', rules: [onExit('Ignore', 'In', [1, 2])], pod: failedPod([terminated('main', 2)]), countFailed: false, action: 'Ignore' },
    { name: 'Count', rules: [onExit('Count', 'NotIn', [0, 7])], pod: failedPod([terminated('main', 3)]), countFailed: true, action: 'Count' },
    { name: 'NotIn never matches exit code 0', rules: [onExit('Ignore', 'NotIn', [1])], pod: failedPod([terminated('main', 0)]), countFailed: true },
    { name: 'the first matching rule wins', rules: [onExit('Ignore', 'In', [9]), onExit('Count', 'In', [3]), onExit('FailJob', 'In', [3])], pod: failedPod([terminated('main', 3)]), countFailed: true, action: 'Count' },
    { name: 'containerName restricts the rule', rules: [onExit('FailJob', 'In', [3], 'sidecar')], pod: failedPod([terminated('main', 3), terminated('sidecar', 1)]), countFailed: true },
    {
      name: 'init containers are looked at after containers',
      rules: [onExit('FailJob', 'In', [4])],
      pod: failedPod([terminated('main', 1)], [terminated('setup', 4)]),
      message: 'Container setup for pod ns/p failed with exit code 4 matching FailJob rule at index 0',
      countFailed: true,
      action: 'FailJob',
    },
    {
      name: 'a running container has no exit code',
      rules: [onExit('FailJob', 'NotIn', [0])],
      pod: failedPod([{ name: 'main', image: 'i', ready: false, restartCount: 0, state: { running: {} } }]),
      countFailed: true,
    },
    {
      name: 'onPodConditions: DisruptionTarget ignored',
      rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }],
      pod: failedPod([terminated('main', 137)], [], [{ type: 'DisruptionTarget', status: 'True' }]),
      countFailed: false,
      action: 'Ignore',
    },
    {
      name: 'onPodConditions: FailJob message',
      rules: [onExit('Ignore', 'In', [1]), { action: 'FailJob', onPodConditions: [{ type: 'ConfigIssue', status: 'True' }] }],
      pod: failedPod([terminated('main', 137)], [], [{ type: 'ConfigIssue', status: 'True' }]),
      message: 'Pod ns/p has condition ConfigIssue matching FailJob rule at index 1',
      countFailed: true,
      action: 'FailJob',
    },
    {
      name: 'onPodConditions: the status must match',
      rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }],
      pod: failedPod([terminated('main', 1)], [], [{ type: 'DisruptionTarget', status: 'False' }]),
      countFailed: true,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const match = matchPodFailurePolicy({ rules: c.rules }, c.pod);
      assert.deepEqual({ message: match.failJobMessage, countFailed: match.countFailed, action: match.action }, { message: c.message, countFailed: c.countFailed, action: c.action });
    });
  }

  it('without a policy every failure counts', () => assert.deepEqual(matchPodFailurePolicy(undefined, failedPod([terminated('main', 1)])), { countFailed: true }));
});

describe('matchSuccessPolicy', () => {
  const cases: { name: string; rules: SuccessPolicyRule[]; completions: number; succeeded: string; want?: string }[] = [
    { name: 'all of the rule’s indexes succeeded', rules: [{ succeededIndexes: '0-2' }], completions: 10, succeeded: '0-3', want: 'Matched rules at index 0' },
    { name: 'one of the rule’s indexes missing', rules: [{ succeededIndexes: '0-2,5' }], completions: 10, succeeded: '0-3', want: undefined },
    { name: 'succeededCount alone', rules: [{ succeededCount: 2 }], completions: 10, succeeded: '3,7', want: 'Matched rules at index 0' },
    { name: 'succeededCount alone, not reached', rules: [{ succeededCount: 3 }], completions: 10, succeeded: '3,7', want: undefined },
    { name: 'succeededCount within succeededIndexes', rules: [{ succeededIndexes: '0-4', succeededCount: 2 }], completions: 10, succeeded: '1,4,8', want: 'Matched rules at index 0' },
    { name: 'succeededCount within succeededIndexes, outside ones do not count', rules: [{ succeededIndexes: '0-4', succeededCount: 2 }], completions: 10, succeeded: '1,8,9', want: undefined },
    { name: 'the first matching rule gives the message', rules: [{ succeededCount: 5 }, { succeededIndexes: '7' }], completions: 10, succeeded: '7', want: 'Matched rules at index 1' },
    { name: 'nothing succeeded yet', rules: [{ succeededCount: 0 }], completions: 10, succeeded: '', want: undefined },
    { name: 'indexes beyond completions are dropped from the rule', rules: [{ succeededIndexes: '2-9' }], completions: 4, succeeded: '2,3', want: 'Matched rules at index 0' },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(matchSuccessPolicy({ rules: c.rules }, c.completions, parseIndexesFromString(c.succeeded, c.completions)), c.want));
  }

  it('counts overlaps across interleaved intervals', () => {
    const rule = parseIndexesFromString('0-3,6-9', 100);
    assert.equal(matchSucceededIndexesRule(rule, parseIndexesFromString('2-7', 100), 4), true);
    assert.equal(matchSucceededIndexesRule(rule, parseIndexesFromString('2-7', 100), 5), false);
    assert.equal(matchSucceededIndexesRule(rule, parseIndexesFromString('0-9', 100), undefined), true);
  });
});
