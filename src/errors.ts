/**
 * The error hierarchy. Users see ScenarioError (their input, exit code 2) and ValidationError
 * (a manifest the API server would reject); controllers see ApiError (and retry with backoff, as
 * in Kubernetes); InvariantError is a simulator bug and stops the run with the seed printed.
 */
import { type FieldError, formatFieldError } from './api/field-errors.js';

/** Where in a user's file something is: 1-based line and column. */
export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  /** The YAML path, e.g. `spec.events[2].setImage.target`. */
  readonly path?: string;
}

export function formatLocation(location: SourceLocation): string {
  let text = location.file;
  if (location.line !== undefined) text += `:${location.line}`;
  if (location.line !== undefined && location.column !== undefined) text += `:${location.column}`;
  return text;
}

/** A mistake in the user's input. Printed as one line: `file:line:col: error: message; hint`. */
export class ScenarioError extends Error {
  constructor(
    message: string,
    readonly location: SourceLocation,
    /** How to fix it, e.g. `did you mean "replicas"?`. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ScenarioError';
  }

  /** The one-line message users see: `file:line:col: error: message (at path); hint`. */
  format(): string {
    const where = formatLocation(this.location);
    const path = this.location.path ? ` (at ${this.location.path})` : '';
    return `${where}: error: ${this.message}${path}${this.hint ? `; ${this.hint}` : ''}`;
  }
}

/** A manifest the API server would reject, with its field errors. */
export class ValidationError extends Error {
  constructor(
    readonly kind: string,
    readonly objectName: string,
    readonly errors: readonly FieldError[],
  ) {
    super(`${kind} "${objectName}" is invalid: ${errors.map(formatFieldError).join(', ')}`);
    this.name = 'ValidationError';
  }
}

export type ApiErrorReason = 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Invalid' | 'Forbidden';

/**
 * An API call failed as a real API server would fail it; controllers retry with backoff. Thrown
 * as control flow (thousands of resourceVersion conflicts in a large rollout), so no stack trace
 * is captured: it would cost more than the retry.
 */
export class ApiError extends Error {
  readonly reason: ApiErrorReason;
  readonly fieldErrors: readonly FieldError[];

  constructor(reason: ApiErrorReason, message: string, fieldErrors: readonly FieldError[] = []) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'ApiError';
    this.reason = reason;
    this.fieldErrors = fieldErrors;
  }
}

export function isApiError(error: unknown, reason?: ApiErrorReason): error is ApiError {
  return error instanceof ApiError && (reason === undefined || error.reason === reason);
}

/** A broken simulator invariant: a bug in k8sim, never the user's fault. */
export class InvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvariantError';
  }
}

/** A run refused because it would exceed a size limit; says which limit and how to raise it. */
export class LimitError extends Error {
  constructor(
    readonly limit: string,
    readonly value: number,
    readonly max: number,
    message: string,
  ) {
    super(`${message} (limit ${limit}=${max}; raise it with --limit ${limit}=${Math.max(value, max * 2)})`);
    this.name = 'LimitError';
  }
}
