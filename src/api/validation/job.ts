/**
 * batch/v1 Job validation, following pkg/apis/batch/validation/validation.go (ValidateJob,
 * ValidateJobSpec, validateJobSpec, validateGeneratedSelector, validatePodFailurePolicy,
 * validateSuccessPolicy, validatePodReplacementPolicy, ValidateJobUpdate, ValidateJobSpecUpdate,
 * validatePodTemplateUpdate, validateCompletions, ValidateJobTemplateSpec, validateIndexesFormat)
 * with the options pkg/registry/batch/job/strategy.go passes (ElasticIndexedJob on; prefixed
 * labels required on create and when the old template had them; scheduling directives mutable
 * while a Job is suspended and never started). Messages and field paths are upstream's.
 *
 * Deliberate differences: a Job without a uid (a manifest the scenario loader checks before the
 * API server has assigned one) is not reported as missing `metadata.uid`; `TooMany` errors are
 * reported as Invalid with upstream's detail (the field-error types here have no TooMany); status
 * validation is not modelled (only the Job controller writes status). As upstream, an update runs
 * ValidateJobSpec twice (once in ValidateJob, once in ValidateJobSpecUpdate), so a spec error on
 * update is listed twice.
 */
import { type FieldError, FieldPath, fieldError } from '../field-errors.js';
import { compileLabelSelector } from '../label-selector.js';
import type { Job, JobSpec, JobTemplateSpec, PodFailurePolicyOnExitCodesRequirement, PodFailurePolicyOnPodConditionsPattern, PodFailurePolicyRule, SuccessPolicyRule } from '../types/job.js';
import type { PodTemplateSpec } from '../types/pod.js';
import {
  CONTROLLER_UID_LABEL,
  JOB_NAME_LABEL,
  LEGACY_CONTROLLER_UID_LABEL,
  LEGACY_JOB_NAME_LABEL,
} from '../defaults/job.js';
import {
  invalidEach,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  nameIsDNSSubdomain,
  regexError,
  tooLong,
  validateImmutableField,
  validateMetadata,
  validateNonnegativeField,
} from './meta.js';
import { validatePodTemplateSpec } from './pod.js';
import { validateLabelSelector } from './selector.js';

/** maxParallelismForIndexedJob: caps the length of status.completedIndexes. */
const MAX_PARALLELISM_FOR_INDEXED_JOB = 100_000;
const MAX_FAILED_INDEXES_FOR_INDEXED_JOB = 100_000;
const COMPLETIONS_SOFT_LIMIT = 100_000;
const PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS = 10_000;
const MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS = 10_000;
const MAX_POD_FAILURE_POLICY_RULES = 20;
const MAX_ON_EXIT_CODES_VALUES = 255;
const MAX_ON_POD_CONDITIONS_PATTERNS = 20;
const MAX_MANAGED_BY_LENGTH = 63;
const MAX_SUCCEEDED_INDEXES_LENGTH = 64 * 1024;
const MAX_SUCCESS_POLICY_RULES = 20;

const POD_FAILURE_POLICY_ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const ON_EXIT_CODES_OPERATORS = ['In', 'NotIn'];
const CONDITION_STATUSES = ['False', 'True', 'Unknown'];
const POD_REPLACEMENT_POLICIES = ['Failed', 'TerminatingOrFailed'];
const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const HTTP_PATH = new RegExp(`^${HTTP_PATH_FMT}$`);

/** Go's `%q` of a []string: `["In" "NotIn"]`. */
const quotedList = (values: readonly string[]): string => `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;

/** field.TooMany, as an Invalid error with upstream's detail (see the header). */
function tooMany(path: FieldPath, actual: number, max: number): FieldError {
  return fieldError.invalid(path, actual, `must have at most ${max} items`);
}

// ---------------------------------------------------------------------------------------------
// Index intervals ("0-3,5")

/** parseIndexInterval: `x` or `x-y` with x < y < completions. */
function parseIndexInterval(text: string, completions: number): [number, number] {
  const limits = text.split('-');
  if (limits.length > 2) {
    throw new Error(`the fragment ${JSON.stringify(text)} violates the requirement that an index interval can have at most two parts separated by '-'`);
  }
  const parse = (part: string): number => {
    if (!/^[+-]?\d+$/.test(part)) throw new Error(`cannot convert string to integer for index: ${JSON.stringify(part)}`);
    const value = Number(part);
    if (value >= completions) throw new Error(`too large index: ${JSON.stringify(part)}`);
    return value;
  };
  const x = parse(limits[0]);
  if (limits.length === 1) return [x, x];
  const y = parse(limits[1]);
  if (x >= y) throw new Error(`non-increasing order, previous: ${x}, current: ${y}`);
  return [x, y];
}

/** validateIndexesFormat: the number of indexes, or throws with upstream's message. */
export function validateIndexesFormat(indexes: string, completions: number): number {
  if (indexes.length === 0) return 0;
  let last: number | undefined;
  let total = 0;
  for (const interval of indexes.split(',')) {
    const [x, y] = parseIndexInterval(interval, completions);
    if (last !== undefined && last >= x) throw new Error(`non-increasing order, previous: ${last}, current: ${x}`);
    total += y - x + 1;
    last = y;
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// Spec

/** IsDomainPrefixedPath (managedBy). */
function validateDomainPrefixedPath(value: string, path: FieldPath): FieldError[] {
  if (value.length === 0) return [fieldError.required(path)];
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === value.length - 1) return [fieldError.invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const host = value.slice(0, slash);
  const errors = invalidEach(path, host, isDNS1123Subdomain(host));
  const rest = value.slice(slash + 1);
  if (!HTTP_PATH.test(rest)) return [...errors, fieldError.invalid(path, rest, regexError('Invalid path', HTTP_PATH_FMT))];
  return errors;
}

function validateOnExitCodes(req: PodFailurePolicyOnExitCodesRequirement, path: FieldPath, containerNames: ReadonlySet<string>): FieldError[] {
  const errors: FieldError[] = [];
  const operatorPath = path.child('operator');
  if (!req.operator) errors.push(fieldError.required(operatorPath, `valid values: ${quotedList(ON_EXIT_CODES_OPERATORS)}`));
  else if (!ON_EXIT_CODES_OPERATORS.includes(req.operator)) errors.push(fieldError.notSupported(operatorPath, req.operator, ON_EXIT_CODES_OPERATORS));
  if (req.containerName != null && !containerNames.has(req.containerName)) {
    errors.push(fieldError.invalid(path.child('containerName'), req.containerName, 'must be one of the container or initContainer names in the pod template'));
  }
  const valuesPath = path.child('values');
  const values = req.values ?? [];
  if (values.length === 0) errors.push(fieldError.invalid(valuesPath, values, 'at least one value is required'));
  else if (values.length > MAX_ON_EXIT_CODES_VALUES) errors.push(tooMany(valuesPath, values.length, MAX_ON_EXIT_CODES_VALUES));
  let ordered = true;
  const seen = new Set<number>();
  values.forEach((value, j) => {
    if (req.operator === 'In' && value === 0) errors.push(fieldError.invalid(valuesPath.index(j), value, 'must not be 0 for the In operator'));
    if (seen.has(value)) errors.push(fieldError.duplicate(valuesPath.index(j), value));
    else seen.add(value);
    if (j > 0 && values[j - 1] > value) ordered = false;
  });
  if (!ordered) errors.push(fieldError.invalid(valuesPath, values, 'must be ordered'));
  return errors;
}

function validateOnPodConditions(patterns: readonly PodFailurePolicyOnPodConditionsPattern[], path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  if (patterns.length > MAX_ON_POD_CONDITIONS_PATTERNS) errors.push(tooMany(path, patterns.length, MAX_ON_POD_CONDITIONS_PATTERNS));
  patterns.forEach((pattern, j) => {
    const patternPath = path.index(j);
    errors.push(...invalidEach(patternPath.child('type'), pattern.type ?? '', isQualifiedName(pattern.type ?? '')));
    const statusPath = patternPath.child('status');
    if (!pattern.status) errors.push(fieldError.required(statusPath, `valid values: ${quotedList(CONDITION_STATUSES)}`));
    else if (!CONDITION_STATUSES.includes(pattern.status)) errors.push(fieldError.notSupported(statusPath, pattern.status, CONDITION_STATUSES));
  });
  return errors;
}

function validatePodFailurePolicyRule(spec: JobSpec, rule: PodFailurePolicyRule, path: FieldPath, containerNames: ReadonlySet<string>): FieldError[] {
  const errors: FieldError[] = [];
  const actionPath = path.child('action');
  if (!rule.action) errors.push(fieldError.required(actionPath, `valid values: ${quotedList(POD_FAILURE_POLICY_ACTIONS)}`));
  else if (rule.action === 'FailIndex') {
    if (spec.backoffLimitPerIndex == null) errors.push(fieldError.invalid(actionPath, rule.action, 'requires the backoffLimitPerIndex to be set'));
  } else if (!POD_FAILURE_POLICY_ACTIONS.includes(rule.action)) errors.push(fieldError.notSupported(actionPath, rule.action, POD_FAILURE_POLICY_ACTIONS));
  const conditions = rule.onPodConditions ?? [];
  if (rule.onExitCodes != null) errors.push(...validateOnExitCodes(rule.onExitCodes, path.child('onExitCodes'), containerNames));
  if (conditions.length > 0) errors.push(...validateOnPodConditions(conditions, path.child('onPodConditions')));
  if (rule.onExitCodes != null && conditions.length > 0) {
    errors.push(fieldError.invalid(path, undefined, 'specifying both OnExitCodes and OnPodConditions is not supported'));
  }
  if (rule.onExitCodes == null && conditions.length === 0) {
    errors.push(fieldError.invalid(path, undefined, 'specifying one of OnExitCodes and OnPodConditions is required'));
  }
  return errors;
}

function validatePodFailurePolicy(spec: JobSpec, path: FieldPath): FieldError[] {
  const rules = spec.podFailurePolicy?.rules ?? [];
  const rulesPath = path.child('rules');
  const errors: FieldError[] = [];
  if (rules.length > MAX_POD_FAILURE_POLICY_RULES) errors.push(tooMany(rulesPath, rules.length, MAX_POD_FAILURE_POLICY_RULES));
  const names = new Set<string>();
  for (const c of spec.template?.spec?.containers ?? []) names.add(c.name);
  for (const c of spec.template?.spec?.initContainers ?? []) names.add(c.name);
  rules.forEach((rule, i) => errors.push(...validatePodFailurePolicyRule(spec, rule, rulesPath.index(i), names)));
  return errors;
}

function validateSuccessPolicyRule(spec: JobSpec, rule: SuccessPolicyRule, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  if (rule.succeededCount == null && rule.succeededIndexes == null) {
    errors.push(fieldError.required(path, 'at least one of succeededCount or succeededIndexes must be specified'));
  }
  // Completions is required for Indexed Jobs (reported elsewhere); upstream dereferences it.
  const completions = spec.completions;
  if (completions == null) return errors;
  let totalIndexes = 0;
  if (rule.succeededIndexes != null) {
    const indexesPath = path.child('succeededIndexes');
    if (rule.succeededIndexes.length > MAX_SUCCEEDED_INDEXES_LENGTH) errors.push(tooLong(indexesPath, MAX_SUCCEEDED_INDEXES_LENGTH));
    try {
      totalIndexes = validateIndexesFormat(rule.succeededIndexes, completions);
    } catch (error) {
      errors.push(fieldError.invalid(indexesPath, rule.succeededIndexes, `error parsing succeededIndexes: ${(error as Error).message}`));
    }
  }
  if (rule.succeededCount != null) {
    const countPath = path.child('succeededCount');
    errors.push(...validateNonnegativeField(rule.succeededCount, countPath));
    if (rule.succeededCount > completions) {
      errors.push(fieldError.invalid(countPath, rule.succeededCount, `must be less than or equal to ${completions} (the number of specified completions)`));
    }
    if (rule.succeededIndexes != null && rule.succeededCount > totalIndexes) {
      errors.push(fieldError.invalid(countPath, rule.succeededCount, `must be less than or equal to ${totalIndexes} (the number of indexes in the specified succeededIndexes field)`));
    }
  }
  return errors;
}

function validateSuccessPolicy(spec: JobSpec, path: FieldPath): FieldError[] {
  const rules = spec.successPolicy?.rules ?? [];
  const rulesPath = path.child('rules');
  const errors: FieldError[] = [];
  if (rules.length === 0) errors.push(fieldError.required(rulesPath, 'at least one rules must be specified when the successPolicy is specified'));
  if (rules.length > MAX_SUCCESS_POLICY_RULES) errors.push(tooMany(rulesPath, rules.length, MAX_SUCCESS_POLICY_RULES));
  rules.forEach((rule, i) => errors.push(...validateSuccessPolicyRule(spec, rule, rulesPath.index(i))));
  return errors;
}

function validatePodReplacementPolicy(spec: JobSpec, path: FieldPath): FieldError[] {
  const policy = spec.podReplacementPolicy;
  if (policy == null) return [];
  // With a podFailurePolicy only Failed pods may be replaced: the policy must see them fail.
  if (spec.podFailurePolicy != null) return policy === 'Failed' ? [] : [fieldError.notSupported(path, policy, ['Failed'])];
  return POD_REPLACEMENT_POLICIES.includes(policy) ? [] : [fieldError.notSupported(path, policy, POD_REPLACEMENT_POLICIES)];
}

/** validateIndexedLimits: what an Indexed Job must satisfy so its index lists stay bounded. */
function validateIndexed(spec: JobSpec, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  const { completions, parallelism, maxFailedIndexes } = spec;
  if (completions == null) errors.push(fieldError.required(path.child('completions'), 'when completion mode is Indexed'));
  if (parallelism != null && parallelism > MAX_PARALLELISM_FOR_INDEXED_JOB) {
    errors.push(fieldError.invalid(path.child('parallelism'), parallelism, `must be less than or equal to ${MAX_PARALLELISM_FOR_INDEXED_JOB} when completion mode is Indexed`));
  }
  if (completions != null && maxFailedIndexes != null && maxFailedIndexes > completions) {
    errors.push(fieldError.invalid(path.child('maxFailedIndexes'), maxFailedIndexes, 'must be less than or equal to completions'));
  }
  if (maxFailedIndexes != null && maxFailedIndexes > MAX_FAILED_INDEXES_FOR_INDEXED_JOB) {
    errors.push(fieldError.invalid(path.child('maxFailedIndexes'), maxFailedIndexes, `must be less than or equal to ${MAX_FAILED_INDEXES_FOR_INDEXED_JOB}`));
  }
  if (completions != null && completions > COMPLETIONS_SOFT_LIMIT && spec.backoffLimitPerIndex != null) {
    const high = `when completions are above ${COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index`;
    if (maxFailedIndexes == null) errors.push(fieldError.required(path.child('maxFailedIndexes'), `must be specified when completions is above ${COMPLETIONS_SOFT_LIMIT}`));
    if (parallelism != null && parallelism > PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS) {
      errors.push(fieldError.invalid(path.child('parallelism'), parallelism, `must be less than or equal to ${PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS} ${high}`));
    }
    if (maxFailedIndexes != null && maxFailedIndexes > MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS) {
      errors.push(fieldError.invalid(path.child('maxFailedIndexes'), maxFailedIndexes, `must be less than or equal to ${MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS} ${high}`));
    }
  }
  return errors;
}

/** The spec fields that must not be negative. */
const NONNEGATIVE_SPEC_FIELDS = ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex'] as const;

/**
 * validateJobSpec (upstream's unexported one): everything but the selector. Shared with the
 * CronJob's jobTemplate, whose selector is generated later.
 */
export function validateJobSpecFields(spec: JobSpec, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of NONNEGATIVE_SPEC_FIELDS) {
    // The path is built only for a value to report (every Job a CronJob creates comes through here).
    const value = spec[field] ?? undefined;
    if (value !== undefined && value < 0) errors.push(...validateNonnegativeField(value, path.child(field)));
  }
  if (spec.maxFailedIndexes != null) {
    errors.push(...validateNonnegativeField(spec.maxFailedIndexes, path.child('maxFailedIndexes')));
    if (spec.backoffLimitPerIndex == null) errors.push(fieldError.required(path.child('backoffLimitPerIndex'), 'when maxFailedIndexes is specified'));
  }
  if (spec.managedBy != null) {
    errors.push(...validateDomainPrefixedPath(spec.managedBy, path.child('managedBy')));
    if (spec.managedBy.length > MAX_MANAGED_BY_LENGTH) errors.push(tooLong(path.child('managedBy'), MAX_MANAGED_BY_LENGTH));
  }
  const mode = spec.completionMode;
  if (mode != null) {
    if (mode !== 'NonIndexed' && mode !== 'Indexed') errors.push(fieldError.notSupported(path.child('completionMode'), mode, ['NonIndexed', 'Indexed']));
    if (mode === 'Indexed') errors.push(...validateIndexed(spec, path));
  }
  if (mode == null || mode === 'NonIndexed') {
    if (spec.backoffLimitPerIndex != null) errors.push(fieldError.invalid(path.child('backoffLimitPerIndex'), spec.backoffLimitPerIndex, 'requires indexed completion mode'));
    if (spec.maxFailedIndexes != null) errors.push(fieldError.invalid(path.child('maxFailedIndexes'), spec.maxFailedIndexes, 'requires indexed completion mode'));
  }
  if (spec.podFailurePolicy != null) errors.push(...validatePodFailurePolicy(spec, path.child('podFailurePolicy')));
  if (spec.successPolicy != null) {
    if (mode !== 'Indexed') errors.push(fieldError.invalid(path.child('successPolicy'), spec.successPolicy, 'requires indexed completion mode'));
    else errors.push(...validateSuccessPolicy(spec, path.child('successPolicy')));
  }
  errors.push(...validatePodReplacementPolicy(spec, path.child('podReplacementPolicy')));
  const templatePath = path.child('template');
  errors.push(...validatePodTemplateSpec(spec.template, templatePath));
  // The pod defaults make an unset restartPolicy Always, so both read as "not chosen".
  const restartPath = templatePath.child('spec').child('restartPolicy');
  const restartPolicy = spec.template?.spec?.restartPolicy ?? '';
  if (restartPolicy === 'Always' || restartPolicy === '') {
    errors.push(fieldError.required(restartPath, 'valid values: "OnFailure", "Never"'));
  } else if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
    errors.push(fieldError.notSupported(restartPath, restartPolicy, ['OnFailure', 'Never']));
  } else if (spec.podFailurePolicy != null && restartPolicy !== 'Never') {
    errors.push(fieldError.invalid(restartPath, restartPolicy, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  return errors;
}

/** ValidateJobSpec: the fields, a required valid selector, and a template it matches. */
export function validateJobSpec(spec: JobSpec, path: FieldPath): FieldError[] {
  const errors = validateJobSpecFields(spec, path);
  const selectorPath = path.child('selector');
  let selectorValid = true;
  if (spec.selector == null) errors.push(fieldError.required(selectorPath));
  else {
    const syntax = validateLabelSelector(spec.selector, selectorPath);
    selectorValid = syntax.length === 0;
    errors.push(...syntax);
  }
  // A missing selector converts to "nothing", which no template matches (upstream reports both).
  if (selectorValid && !compileLabelSelector(spec.selector)(spec.template?.metadata?.labels)) {
    errors.push(fieldError.invalid(path.child('template').child('metadata').child('labels'), spec.template?.metadata?.labels ?? {}, '`selector` does not match template `labels`'));
  }
  return errors;
}

/** ValidateHasLabel. */
function validateHasLabel(template: PodTemplateSpec | undefined, path: FieldPath, key: string, expected: string): FieldError[] {
  const labels = template?.metadata?.labels;
  const labelPath = path.child('labels').key(key);
  if (labels === undefined || !Object.hasOwn(labels, key)) return [fieldError.required(labelPath, expected)];
  return labels[key] === expected ? [] : [fieldError.invalid(labelPath, labels, `must be '${expected}'`)];
}

/** validateGeneratedSelector: a generated selector must be exactly the generated labels'. */
function validateGeneratedSelector(job: Job, requirePrefixedLabels: boolean): FieldError[] {
  const spec = job.spec;
  if (spec.manualSelector === true || spec.selector == null) return [];
  const uid = job.metadata.uid ?? '';
  const name = job.metadata.name;
  const metaPath = FieldPath.root('spec').child('template').child('metadata');
  const errors = [
    ...validateHasLabel(spec.template, metaPath, LEGACY_CONTROLLER_UID_LABEL, uid),
    ...validateHasLabel(spec.template, metaPath, LEGACY_JOB_NAME_LABEL, name),
  ];
  const expected: Record<string, string> = {};
  if (requirePrefixedLabels) {
    errors.push(...validateHasLabel(spec.template, metaPath, CONTROLLER_UID_LABEL, uid), ...validateHasLabel(spec.template, metaPath, JOB_NAME_LABEL, name));
    expected[CONTROLLER_UID_LABEL] = uid;
    expected[JOB_NAME_LABEL] = name;
  }
  expected[LEGACY_CONTROLLER_UID_LABEL] = uid;
  expected[LEGACY_JOB_NAME_LABEL] = name;
  if (validateLabelSelector(spec.selector, FieldPath.root('spec').child('selector')).length === 0 && !compileLabelSelector(spec.selector)(expected)) {
    errors.push(fieldError.invalid(FieldPath.root('spec').child('selector'), spec.selector, '`selector` not auto-generated'));
  }
  return errors;
}

/** ValidateJob: metadata, generated selector, spec, and the longest Indexed pod hostname. */
function validateJobObject(job: Job, requirePrefixedLabels: boolean): FieldError[] {
  const spec = job.spec ?? ({} as JobSpec);
  const errors = [...validateGeneratedSelector({ ...job, spec }, requirePrefixedLabels), ...validateJobSpec(spec, FieldPath.root('spec'))];
  if (spec.completionMode === 'Indexed' && spec.completions != null && spec.completions > 0) {
    // Pod hostnames are `<job>-<index>`: the last one must still be a DNS label.
    const hostname = `${job.metadata.name}-${spec.completions - 1}`;
    if (isDNS1123Label(hostname).length > 0) {
      errors.push(fieldError.invalid(FieldPath.root('metadata').child('name'), job.metadata.name, `will not able to create pod with invalid DNS label: ${hostname}`));
    }
  }
  return errors;
}

/** validateCompletions: immutable, except an Indexed Job's in tandem with parallelism (ElasticIndexedJob). */
function validateCompletions(spec: JobSpec, old: JobSpec, path: FieldPath): FieldError[] {
  if (spec.completionMode !== 'Indexed') return validateImmutableField(spec.completions, old.completions, path);
  if (spec.completions === old.completions || spec.completions == null) return [];
  if (spec.completions !== spec.parallelism) return [fieldError.invalid(path, spec.completions, 'can only be modified in tandem with spec.parallelism')];
  return [];
}

/**
 * validatePodTemplateUpdate: the template is immutable, except node affinity, node selector,
 * tolerations, labels, annotations and scheduling gates of a Job suspended and never started.
 */
function validatePodTemplateUpdate(spec: JobSpec, old: JobSpec, mutableScheduling: boolean, path: FieldPath): FieldError[] {
  let oldTemplate = old.template;
  const template = spec.template;
  if (mutableScheduling && oldTemplate !== undefined && template !== undefined) {
    const oldSpec = { ...oldTemplate.spec } as PodTemplateSpec['spec'] & Record<string, unknown>;
    const newSpec = (template.spec ?? {}) as PodTemplateSpec['spec'] & Record<string, unknown>;
    const oldAffinity = oldSpec.affinity;
    if (newSpec.affinity == null && oldAffinity != null) {
      const { nodeAffinity: _dropped, ...rest } = oldAffinity;
      oldSpec.affinity = Object.keys(rest).length === 0 ? undefined : rest;
      if (oldSpec.affinity === undefined) delete oldSpec.affinity;
    } else if (newSpec.affinity != null && oldAffinity == null) {
      oldSpec.affinity = { nodeAffinity: newSpec.affinity.nodeAffinity };
    } else if (newSpec.affinity != null && oldAffinity != null) {
      oldSpec.affinity = { ...oldAffinity, nodeAffinity: newSpec.affinity.nodeAffinity };
    }
    oldSpec.nodeSelector = newSpec.nodeSelector;
    oldSpec.tolerations = newSpec.tolerations;
    oldSpec.schedulingGates = newSpec.schedulingGates;
    const metadata = { ...(oldTemplate.metadata ?? {}), labels: template.metadata?.labels, annotations: template.metadata?.annotations };
    oldTemplate = { ...oldTemplate, metadata, spec: oldSpec };
  }
  return validateImmutableField(template, oldTemplate, path.child('template'));
}

/** ValidateJobSpecUpdate. */
function validateJobSpecUpdate(spec: JobSpec, old: JobSpec, mutableScheduling: boolean): FieldError[] {
  const path = FieldPath.root('spec');
  return [
    ...validateJobSpec(spec, path),
    ...validateCompletions(spec, old, path.child('completions')),
    ...validateImmutableField(spec.selector, old.selector, path.child('selector')),
    ...validatePodTemplateUpdate(spec, old, mutableScheduling, path),
    ...validateImmutableField(spec.completionMode, old.completionMode, path.child('completionMode')),
    ...validateImmutableField(spec.podFailurePolicy, old.podFailurePolicy, path.child('podFailurePolicy')),
    ...validateImmutableField(spec.backoffLimitPerIndex, old.backoffLimitPerIndex, path.child('backoffLimitPerIndex')),
    ...validateImmutableField(spec.managedBy, old.managedBy, path.child('managedBy')),
    ...validateImmutableField(spec.successPolicy, old.successPolicy, path.child('successPolicy')),
  ];
}

/** Validates a Job on create, or on update when `old` is given (jobStrategy.Validate / ValidateUpdate). */
export function validateJob(obj: Job, old?: Job): FieldError[] {
  const errors = validateMetadata(obj.metadata, old?.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  if (old === undefined) return [...errors, ...validateJobObject(obj, true)];
  const oldLabels = old.spec?.template?.metadata?.labels ?? {};
  // Jobs created before the prefixed labels existed keep validating without them.
  const requirePrefixed = Object.hasOwn(oldLabels, JOB_NAME_LABEL) && Object.hasOwn(oldLabels, CONTROLLER_UID_LABEL);
  const mutableScheduling = old.spec?.suspend === true && old.status?.startTime === undefined;
  return [...errors, ...validateJobObject(obj, requirePrefixed), ...validateJobSpecUpdate(obj.spec ?? ({} as JobSpec), old.spec ?? ({} as JobSpec), mutableScheduling)];
}

/** ValidateJobTemplateSpec: a CronJob's jobTemplate; its selector is always generated. */
export function validateJobTemplateSpec(template: JobTemplateSpec, path: FieldPath): FieldError[] {
  const spec = template.spec ?? ({} as JobSpec);
  const specPath = path.child('spec');
  const errors = validateJobSpecFields(spec, specPath);
  if (spec.selector != null) errors.push(fieldError.invalid(specPath.child('selector'), spec.selector, '`selector` will be auto-generated'));
  if (spec.manualSelector === true) errors.push(fieldError.notSupported(specPath.child('manualSelector'), true, ['nil', 'false']));
  return errors;
}
