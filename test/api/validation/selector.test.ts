import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FieldPath, formatFieldError } from '../../../src/api/field-errors.js';
import type { LabelSelector, NodeSelector } from '../../../src/api/types/index.js';
import { validateLabelSelector, validateNodeSelector } from '../../../src/api/validation/selector.js';

const path = FieldPath.root('spec').child('selector');

describe('validateLabelSelector', () => {
  const cases: [name: string, selector: LabelSelector | undefined, expect: string[]][] = [
    ['an absent selector', undefined, []],
    [
      'every operator used correctly',
      {
        matchLabels: { a: 'b' },
        matchExpressions: [
          { key: 'x', operator: 'NotIn', values: ['1'] },
          { key: 'y', operator: 'DoesNotExist' },
        ],
      },
      [],
    ],
    [
      'Exists with values',
      { matchExpressions: [{ key: 'x', operator: 'Exists', values: ['1'] }] },
      ["spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"],
    ],
    [
      'an unknown operator',
      { matchExpressions: [{ key: 'x', operator: 'Like' as 'In', values: ['1'] }] },
      ['spec.selector.matchExpressions[0].operator: Invalid value: "Like": not a valid selector operator'],
    ],
    [
      'an invalid value (strict, as apps/v1 requires)',
      { matchExpressions: [{ key: 'x', operator: 'In', values: ['ok', 'not ok'] }] },
      [
        'spec.selector.matchExpressions[0].values[1]: Invalid value: "not ok": a valid label must be an empty string or consist of ' +
          "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or " +
          "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      ],
    ],
  ];
  for (const [name, selector, expect] of cases) {
    it(`handles ${name}`, () => assert.deepEqual(validateLabelSelector(selector, path).map(formatFieldError), expect));
  }
});

describe('validateNodeSelector', () => {
  it('accepts matchFields on metadata.name and integer Gt values', () => {
    const selector: NodeSelector = {
      nodeSelectorTerms: [
        { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['worker-1'] }] },
        { matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['4'] }] },
      ],
    };
    assert.deepEqual(validateNodeSelector(selector, FieldPath.root('ns')), []);
  });

  it('requires exactly one node name in matchFields', () => {
    const selector: NodeSelector = {
      nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['a', 'b'] }] }],
    };
    assert.deepEqual(validateNodeSelector(selector, FieldPath.root('ns')).map(formatFieldError), [
      "ns.nodeSelectorTerms[0].matchFields[0].values: Required value: must be only one value when `operator` is 'In' or 'NotIn' " +
        'for node field selector',
    ]);
  });
});
