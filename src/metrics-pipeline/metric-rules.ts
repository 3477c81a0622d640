/**
 * `setMetric` (scenario-format.md, "Events"): values the scenario makes the metrics pipeline
 * report instead of (or besides) what traffic causes.
 *
 * - Per-pod values — `cpu`, `memory` (resource metrics: they replace the pod's usage, and reach
 *   the HPA through metrics-server's scrapes like real usage) and named custom metrics (the
 *   custom metrics API's Pods metrics) — for the pods a rule selects: by owner (`deployment/web`:
 *   every pod whose controller chain leads to it) or by label selector, including pods created
 *   after the rule. A later rule wins over an earlier one for the metrics it sets.
 * - Object metrics: a named custom metric describing the rule's `target` object itself (a
 *   Service, an Ingress, the Deployment).
 * - External metrics: series of a named metric with labels (a queue's length).
 */
import type { LabelSelector } from '../api/types/meta.js';

/** An object as an HPA's `describedObject` names it; `kind` as the scenario wrote it or canonical. */
export interface MetricObjectRef {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

/** Which pods a rule's per-pod values apply to. */
export type PodChoice =
  | { readonly by: 'owner'; readonly owner: MetricObjectRef }
  | { readonly by: 'selector'; readonly namespace: string; readonly selector: LabelSelector };

export interface CustomValue {
  readonly name: string;
  /** Thousandths of the metric's unit (Quantity.MilliValue()). */
  readonly milli: number;
}

export interface MetricRule {
  /** Pods whose cpu, memory and custom values this sets. */
  readonly pods?: PodChoice;
  /** The object the custom values also describe (Object metrics). */
  readonly object?: MetricObjectRef;
  /** The custom values are External metric series in this namespace. */
  readonly externalNamespace?: string;
  readonly cpuMilli?: number;
  readonly memoryBytes?: number;
  readonly custom: readonly CustomValue[];
  /** Labels of the series (what an HPA's metric selector matches). */
  readonly labels: Readonly<Record<string, string>>;
}

/** Object keys compare kinds without case: `ingress/main` describes the Ingress "main". */
export function objectRefKey(ref: MetricObjectRef): string {
  return `${ref.kind.toLowerCase()}/${ref.namespace}/${ref.name}`;
}
