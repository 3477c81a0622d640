/**
 * API defaults for Pods and pod templates, following pkg/apis/core/v1/defaults.go
 * (SetDefaults_Pod, SetDefaults_PodSpec, SetDefaults_Container, SetDefaults_ContainerPort,
 * SetDefaults_Probe, SetDefaults_HTTPGetAction).
 *
 * A defaulter only fills fields that are absent and never replaces a value, so defaulting is
 * idempotent and a frozen, already-defaulted object is never written to. "Absent" means
 * `undefined` (or JSON `null`). For the fields that are plain values rather than pointers
 * upstream — strings, and the probe's timeout/period/threshold integers — upstream cannot tell
 * `""` or `0` from absent and defaults them too; we do the same, because keeping an explicit
 * `periodSeconds: 0` would make the kubelet probe in a tight loop where Kubernetes probes every
 * 10 s. Pointer fields (terminationGracePeriodSeconds, enableServiceLinks) keep an explicit 0/false.
 *
 * Deliberate difference: upstream applies the Pod-only defaults (requests copied from limits,
 * enableServiceLinks, hostNetwork host ports) to Pods but not to PodTemplateSpecs. We apply the
 * same defaults to both, so a template already carries what its pods will get at creation and
 * creating a pod from a defaulted template never needs to write into shared template objects.
 * Gaps: volumes, ephemeral containers, pod-level resources and securityContext contents are not
 * modelled, so their defaults are not applied.
 */
import type { Container, ContainerPort, LifecycleHandler, Pod, PodSpec, PodTemplateSpec, Probe } from '../types/pod.js';

/** True for a Go zero value: absent, null, `""` or `0` (only used for upstream value fields). */
export function isZeroValue(value: unknown): boolean {
  return value === undefined || value === null || value === '' || value === 0;
}

/**
 * The image's tag as upstream's parsers.ParseImageName sees it: the text after the last `:` that
 * follows the last `/` (so a registry port is not a tag), `latest` when there is neither tag nor
 * digest, and `""` when only a digest pins the image.
 */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const colon = name.lastIndexOf(':');
  const tag = colon > name.lastIndexOf('/') ? name.slice(colon + 1) : '';
  if (tag === '' && at < 0) return 'latest';
  return tag;
}

function defaultHttpGet(httpGet: Record<string, unknown> | undefined): void {
  if (httpGet === undefined || httpGet === null) return;
  if (isZeroValue(httpGet.path)) httpGet.path = '/';
  if (isZeroValue(httpGet.scheme)) httpGet.scheme = 'HTTP';
}

function defaultProbe(probe: Probe | undefined): void {
  if (probe === undefined || probe === null) return;
  if (isZeroValue(probe.timeoutSeconds)) probe.timeoutSeconds = 1;
  if (isZeroValue(probe.periodSeconds)) probe.periodSeconds = 10;
  if (isZeroValue(probe.successThreshold)) probe.successThreshold = 1;
  if (isZeroValue(probe.failureThreshold)) probe.failureThreshold = 3;
  defaultHttpGet(probe.httpGet);
}

function defaultLifecycleHandler(handler: LifecycleHandler | undefined): void {
  if (handler !== undefined && handler !== null) defaultHttpGet(handler.httpGet);
}

function defaultPort(port: ContainerPort, hostNetwork: boolean): void {
  if (isZeroValue(port.protocol)) port.protocol = 'TCP';
  // With host networking the container port is the host port (defaultHostNetworkPorts).
  if (hostNetwork && isZeroValue(port.hostPort)) port.hostPort = port.containerPort;
}

/** Container defaults (SetDefaults_Container and the Pod-level requests-from-limits rule). */
export function defaultContainer(container: Container, hostNetwork = false): void {
  if (isZeroValue(container.imagePullPolicy)) {
    container.imagePullPolicy = imageTag(container.image ?? '') === 'latest' ? 'Always' : 'IfNotPresent';
  }
  if (isZeroValue(container.terminationMessagePath)) container.terminationMessagePath = '/dev/termination-log';
  if (isZeroValue(container.terminationMessagePolicy)) container.terminationMessagePolicy = 'File';
  for (const port of container.ports ?? []) defaultPort(port, hostNetwork);
  const resources = container.resources;
  if (resources?.limits) {
    const requests = (resources.requests ??= {});
    for (const [name, limit] of Object.entries(resources.limits)) {
      if (requests[name] === undefined) requests[name] = limit;
    }
  }
  defaultProbe(container.livenessProbe);
  defaultProbe(container.readinessProbe);
  defaultProbe(container.startupProbe);
  defaultLifecycleHandler(container.lifecycle?.postStart);
  defaultLifecycleHandler(container.lifecycle?.preStop);
}

/** PodSpec defaults (SetDefaults_PodSpec plus the Pod-level ones, see the file header). */
export function defaultPodSpec(spec: PodSpec): void {
  if (isZeroValue(spec.dnsPolicy)) spec.dnsPolicy = 'ClusterFirst';
  if (isZeroValue(spec.restartPolicy)) spec.restartPolicy = 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  if (isZeroValue(spec.schedulerName)) spec.schedulerName = 'default-scheduler';
  spec.enableServiceLinks ??= true;
  const hostNetwork = spec.hostNetwork === true;
  for (const container of spec.initContainers ?? []) defaultContainer(container, hostNetwork);
  for (const container of spec.containers ?? []) defaultContainer(container, hostNetwork);
}

/** Defaults a pod template (in a Deployment, ReplicaSet, …) exactly as its pods will be. */
export function defaultPodTemplateSpec(template: PodTemplateSpec | undefined): void {
  if (template?.spec) defaultPodSpec(template.spec);
}

/** Defaults a Pod in place; only absent fields are assigned. */
export function defaultPod(pod: Pod): void {
  if (pod.spec) defaultPodSpec(pod.spec);
}
