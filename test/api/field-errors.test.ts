import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type FieldError, FieldPath, fieldError, formatFieldError } from '../../src/api/field-errors.js';

describe('FieldPath', () => {
  it('builds dotted paths with indices and keys', () => {
    const path = FieldPath.root('spec').child('template').child('spec').child('containers').index(0).child('image');
    assert.equal(String(path), 'spec.template.spec.containers[0].image');
    assert.equal(String(FieldPath.root().child('metadata').child('labels').key('app')), 'metadata.labels[app]');
    assert.equal(String(FieldPath.root().child('spec')), 'spec', 'no leading dot from an empty root');
  });

  it('is immutable: children do not change the parent', () => {
    const spec = FieldPath.root('spec');
    spec.child('replicas');
    assert.equal(spec.toString(), 'spec');
  });
});

describe('formatFieldError', () => {
  const replicas = FieldPath.root('spec').child('replicas');

  it('Invalid with a number prints the value bare, then the detail', () => {
    assert.equal(
      formatFieldError(fieldError.invalid(replicas, -1, 'must be greater than or equal to 0')),
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
  });

  it('Invalid with a string quotes the value', () => {
    const maxSurge = FieldPath.root('spec').child('strategy').child('rollingUpdate').child('maxSurge');
    assert.equal(
      formatFieldError(fieldError.invalid(maxSurge, 'oops', 'a valid percent string must be')),
      'spec.strategy.rollingUpdate.maxSurge: Invalid value: "oops": a valid percent string must be',
    );
  });

  it('Required prints no value, and the detail only when there is one', () => {
    assert.equal(formatFieldError(fieldError.required(FieldPath.root('spec').child('selector'))), 'spec.selector: Required value');
    assert.equal(formatFieldError(fieldError.required(FieldPath.root('metadata').child('name'), 'name or generateName is required')), 'metadata.name: Required value: name or generateName is required');
  });

  it('Forbidden never prints the value', () => {
    const error: FieldError = { type: 'Forbidden', field: 'spec.selector', value: { a: 1 }, detail: 'field is immutable' };
    assert.equal(formatFieldError(error), 'spec.selector: Forbidden: field is immutable');
  });

  it('NotSupported lists the supported values quoted', () => {
    assert.equal(
      formatFieldError(fieldError.notSupported(FieldPath.root('spec').child('strategy').child('type'), 'Canary', ['Recreate', 'RollingUpdate'])),
      'spec.strategy.type: Unsupported value: "Canary": supported values: "Recreate", "RollingUpdate"',
    );
  });

  it('Duplicate prints the value and no trailing separator for an empty detail', () => {
    assert.equal(formatFieldError(fieldError.duplicate(FieldPath.root('spec').child('containers').index(1).child('name'), 'app')), 'spec.containers[1].name: Duplicate value: "app"');
  });

  it('TooLong without a value', () => {
    assert.equal(formatFieldError({ type: 'TooLong', field: 'metadata.name', detail: 'may not be more than 253 bytes' }), 'metadata.name: Too long: may not be more than 253 bytes');
  });

  it('prints objects, booleans and null as JSON', () => {
    assert.equal(formatFieldError({ type: 'Invalid', field: 'x', value: { a: [1] }, detail: 'd' }), 'x: Invalid value: {"a":[1]}: d');
    assert.equal(formatFieldError({ type: 'Invalid', field: 'x', value: true, detail: 'd' }), 'x: Invalid value: true: d');
    assert.equal(formatFieldError({ type: 'Invalid', field: 'x', value: null, detail: 'd' }), 'x: Invalid value: null: d');
  });

  it('the builders set type and field', () => {
    assert.deepEqual(fieldError.invalid(replicas, 3, 'bad'), { type: 'Invalid', field: 'spec.replicas', value: 3, detail: 'bad' });
    assert.deepEqual(fieldError.forbidden(replicas, 'no'), { type: 'Forbidden', field: 'spec.replicas', detail: 'no' });
  });
});
