/**
 * Field errors as the API server reports them (k8s.io/apimachinery/pkg/util/validation/field):
 * a dotted path such as `spec.template.spec.containers[0].image`, a type, the bad value and a
 * detail. A validation function returns a list; an empty list means valid.
 */

export type FieldErrorType = 'Required' | 'Invalid' | 'Forbidden' | 'NotSupported' | 'Duplicate' | 'TooLong' | 'TooMany';

export interface FieldError {
  readonly type: FieldErrorType;
  /** Dotted path with [i] indices, e.g. `spec.strategy.rollingUpdate.maxUnavailable`. */
  readonly field: string;
  readonly value?: unknown;
  readonly detail: string;
}

/** A path builder so validators write `path.child('spec').index(0)` instead of concatenating. */
export class FieldPath {
  private constructor(private readonly text: string) {}

  static root(name = ''): FieldPath {
    return new FieldPath(name);
  }

  child(name: string): FieldPath {
    return new FieldPath(this.text === '' ? name : `${this.text}.${name}`);
  }

  index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }

  key(k: string): FieldPath {
    return new FieldPath(`${this.text}[${k}]`);
  }

  toString(): string {
    return this.text;
  }
}

export const fieldError = {
  required: (path: FieldPath, detail = ''): FieldError => ({ type: 'Required', field: String(path), detail }),
  invalid: (path: FieldPath, value: unknown, detail: string): FieldError => ({ type: 'Invalid', field: String(path), value, detail }),
  forbidden: (path: FieldPath, detail: string): FieldError => ({ type: 'Forbidden', field: String(path), detail }),
  notSupported: (path: FieldPath, value: unknown, supported: readonly string[]): FieldError => ({
    type: 'NotSupported',
    field: String(path),
    value,
    detail: `supported values: ${supported.map((s) => `"${s}"`).join(', ')}`,
  }),
  duplicate: (path: FieldPath, value: unknown): FieldError => ({ type: 'Duplicate', field: String(path), value, detail: '' }),
};

const TYPE_TEXT: Record<FieldErrorType, string> = {
  Required: 'Required value',
  Invalid: 'Invalid value',
  Forbidden: 'Forbidden',
  NotSupported: 'Unsupported value',
  Duplicate: 'Duplicate value',
  TooLong: 'Too long',
  TooMany: 'Too many',
};

/** Formats one error as the API server does: `spec.replicas: Invalid value: -1: must be …`. */
export function formatFieldError(error: FieldError): string {
  const parts = [error.field, TYPE_TEXT[error.type]];
  if (error.value !== undefined && error.type !== 'Required' && error.type !== 'Forbidden') {
    parts.push(typeof error.value === 'string' ? JSON.stringify(error.value) : JSON.stringify(error.value) ?? String(error.value));
  }
  if (error.detail) parts.push(error.detail);
  return parts.join(': ');
}
