/**
 * A cluster for the HPA controller tests: the API server with admission (HPAs defaulted and
 * validated as in a run), shared informers, the HPA controller with a fixed MetricsClient, and a
 * scale target built by hand — a Deployment, its ReplicaSet and pods whose status the test
 * writes, as the Deployment and ReplicaSet controllers and the kubelets would. No other
 * controller runs, so a rescale changes `spec.replicas` and nothing else.
 */
import { apiAdmission } from '../../../src/api/admission.js';
import type { Deployment } from '../../../src/api/types/deployment.js';
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerSpec } from '../../../src/api/types/horizontal-pod-autoscaler.js';
import type { DeepReadonly } from '../../../src/api/types/meta.js';
import type { Pod, PodPhase } from '../../../src/api/types/pod.js';
import type { ReplicaSet } from '../../../src/api/types/replicaset.js';
import { ApiServer } from '../../../src/cluster/api-server.js';
import { EventLog, type SimEvent } from '../../../src/cluster/event-log.js';
import { InformerFactory } from '../../../src/cluster/informer.js';
import type { ControllerContext } from '../../../src/controllers/controller.js';
import { type HorizontalController, horizontalPodAutoscalerController } from '../../../src/controllers/hpa/hpa-controller.js';
import type { MetricsClient } from '../../../src/controllers/hpa/metrics-client.js';
import { DEFAULT_HPA_SETTINGS, type HpaSettings } from '../../../src/controllers/hpa/settings.js';
import { ControllerRunner } from '../../../src/controllers/runner.js';
import { constant } from '../../../src/engine/distribution.js';
import { RandomStreams } from '../../../src/engine/random.js';
import { Simulation } from '../../../src/engine/simulation.js';
import { TEST_SEED } from '../../helpers/engine-fixtures.js';

export const HPA_KEY = 'default/web';

export interface HpaCluster {
  readonly sim: Simulation;
  readonly api: ApiServer;
  readonly controller: HorizontalController;
  /** The controller's events (HPARescale, HPAWarning). */
  events(type?: string): SimEvent[];
  runTo(ms: number): void;
  hpa(name?: string): DeepReadonly<HorizontalPodAutoscaler>;
  deployment(name?: string): DeepReadonly<Deployment>;
}

/**
 * `admission: false` stores objects as given (no defaulting or validation), for objects the API
 * server would refuse, such as minReplicas 0 without the HPAScaleToZero gate.
 */
export function newHpaCluster(metrics: MetricsClient | undefined, settings: Partial<HpaSettings> = {}, options: { admission?: boolean } = {}): HpaCluster {
  const sim = new Simulation();
  const random = new RandomStreams(TEST_SEED);
  const api = new ApiServer(sim, random, { admission: options.admission === false ? undefined : apiAdmission, watchLatency: constant(5), freezeObjects: true });
  const informers = new InformerFactory(api);
  const log = new EventLog(sim);
  const recorded: SimEvent[] = [];
  log.subscribe((e) => recorded.push(e));
  const ctx: ControllerContext = { sim, api, informers, random, events: log, startTimeMs: 0, metrics, hpa: { ...DEFAULT_HPA_SETTINGS, ...settings } };
  const runner = new ControllerRunner(ctx, horizontalPodAutoscalerController);
  const get = <T>(kind: string, name: string): T => {
    const obj = api.get(kind, 'default', name);
    if (obj === undefined) throw new Error(`${kind} ${name} not found`);
    return obj as T;
  };
  return {
    sim,
    api,
    controller: runner.controller as HorizontalController,
    events: (type) => recorded.filter((e) => type === undefined || e.type === type),
    runTo: (ms) => {
      sim.run({ until: ms });
    },
    hpa: (name = 'web') => get<DeepReadonly<HorizontalPodAutoscaler>>('HorizontalPodAutoscaler', name),
    deployment: (name = 'web') => get<DeepReadonly<Deployment>>('Deployment', name),
  };
}

export interface PodSpecOptions {
  /** CPU request of the pod's one container, millicores (undefined: none). */
  readonly cpu?: number;
  readonly phase?: PodPhase;
  readonly ready?: boolean;
  readonly startTime?: number;
  readonly readySince?: number;
}

const LABELS = { app: 'web' };

/**
 * A Deployment `name` with `specReplicas`, `status.replicas` = `statusReplicas`, one ReplicaSet,
 * and one pod per entry of `pods` (named `<name>-0`, `<name>-1`, …), Running and Ready since 0
 * unless told otherwise.
 */
export function createWorkload(c: HpaCluster, name: string, specReplicas: number, statusReplicas: number, pods: readonly PodSpecOptions[]): void {
  const template = { metadata: { labels: LABELS }, spec: { containers: [{ name: 'app', image: 'app:1' }] } };
  const d = c.api.create<Deployment>({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' }, spec: { replicas: specReplicas, selector: { matchLabels: LABELS }, template } });
  c.api.updateStatus<Deployment>({ ...(d as Deployment), status: { replicas: statusReplicas } });
  const owner = (kind: string, o: { metadata: { name: string; uid?: string } }, apiVersion: string) => [{ apiVersion, kind, name: o.metadata.name, uid: o.metadata.uid ?? '', controller: true }];
  const rs = c.api.create<ReplicaSet>({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `${name}-rs`, namespace: 'default', labels: LABELS, ownerReferences: owner('Deployment', d, 'apps/v1') },
    spec: { replicas: specReplicas, selector: { matchLabels: LABELS }, template },
  });
  pods.forEach((p, i) => {
    const resources = p.cpu !== undefined ? { requests: { cpu: `${p.cpu}m` } } : undefined;
    const pod = c.api.create<Pod>({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `${name}-${i}`, namespace: 'default', labels: LABELS, ownerReferences: owner('ReplicaSet', rs, 'apps/v1') },
      spec: { containers: [{ name: 'app', image: 'app:1', ...(resources !== undefined ? { resources } : {}) }] },
    });
    c.api.updateStatus<Pod>({
      ...(pod as Pod),
      status: {
        phase: p.phase ?? 'Running',
        startTime: p.startTime ?? 0,
        conditions: [{ type: 'Ready', status: p.ready === false ? 'False' : 'True', lastTransitionTime: p.readySince ?? 0 }],
      },
    });
  });
}

/** An HPA `web` on Deployment `web` (CPU at 80 % unless the spec says otherwise). */
export function createHpa(c: HpaCluster, spec: Partial<HorizontalPodAutoscalerSpec>, name = 'web'): DeepReadonly<HorizontalPodAutoscaler> {
  return c.api.create<HorizontalPodAutoscaler>({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace: 'default' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 10, ...spec },
  });
}

/** The HPA's condition of `type` as [status, reason]. */
export function condition(hpa: DeepReadonly<HorizontalPodAutoscaler>, type: string): [string, string] | undefined {
  const c = hpa.status?.conditions?.find((x) => x.type === type);
  return c === undefined ? undefined : [c.status, c.reason ?? ''];
}
