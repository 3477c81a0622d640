/**
 * Manifests of the plain workloads tests run again and again — a Job or CronJob of one
 * container that runs to completion, a StatefulSet, a DaemonSet — as the YAML a user writes.
 * `spec` adds lines to the object's spec (two-space indented under `spec:`), ahead of its
 * template: completions, backoffLimit, updateStrategy and the like.
 */
const meta = (name: string, namespace?: string) => (namespace === undefined ? `{name: ${name}}` : `{name: ${name}, namespace: ${namespace}}`);
const specLines = (lines: readonly string[], indent: string) => lines.map((l) => `${indent}${l}\n`).join('');

export interface BatchOptions {
  readonly namespace?: string;
  /** Lines of the Job spec, e.g. `completions: 2`. */
  readonly spec?: readonly string[];
}

/** A Job of one container `w`, restartPolicy Never. */
export function jobYaml(name: string, image: string, o: BatchOptions = {}): string {
  return `apiVersion: batch/v1
kind: Job
metadata: ${meta(name, o.namespace)}
spec:
${specLines(o.spec ?? [], '  ')}  template:
    spec:
      restartPolicy: Never
      containers: [{name: w, image: "${image}"}]
`;
}

/** A CronJob whose Jobs are jobYaml's. */
export function cronJobYaml(name: string, image: string, schedule: string, o: BatchOptions = {}): string {
  return `apiVersion: batch/v1
kind: CronJob
metadata: ${meta(name, o.namespace)}
spec:
  schedule: "${schedule}"
  jobTemplate:
    spec:
${specLines(o.spec ?? [], '      ')}      template:
        spec:
          restartPolicy: Never
          containers: [{name: w, image: "${image}"}]
`;
}

/**
 * A StatefulSet `db`-style: container named after the set, governing Service of the same name;
 * no `replicas` line when `replicas` is undefined.
 */
export function statefulSetYaml(name: string, image: string, replicas?: number): string {
  return `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ${name}}
spec:
${replicas !== undefined ? `  replicas: ${replicas}\n` : ''}  serviceName: ${name}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: ${name}, image: "${image}"}]
`;
}

/** A DaemonSet of one container `a`. */
export function daemonSetYaml(name: string, image: string, spec: readonly string[] = []): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ${name}}
spec:
  selector: {matchLabels: {app: ${name}}}
${specLines(spec, '  ')}  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: a, image: "${image}"}]
`;
}

/** A Deployment `app: <name>` of one container named after it, with a CPU request. */
export function deploymentYaml(name: string, image: string, replicas: number, cpuRequest: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: ${name}, image: "${image}", resources: {requests: {cpu: ${cpuRequest}}}}]
`;
}

/** An autoscaling/v2 HPA of Deployment `target`; `metrics` in flow style (a list). */
export function hpaYaml(name: string, target: string, minReplicas: number, maxReplicas: number, metrics: string): string {
  return `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: ${name}}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${target}}
  minReplicas: ${minReplicas}
  maxReplicas: ${maxReplicas}
  metrics: ${metrics}
`;
}
