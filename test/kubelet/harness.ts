/**
 * A small cluster for kubelet tests: API server with admission, informers, event log with the
 * object-event deriver, and a KubeletManager. Pods are bound by setting spec.nodeName directly
 * (no scheduler runs), and status history is recorded from the API server's commits.
 */
import { apiAdmission } from '../../src/api/admission.js';
import type { DeepReadonly } from '../../src/api/types/meta.js';
import type { Container, Pod, PodSpec, PodStatus } from '../../src/api/types/pod.js';
import { ApiServer } from '../../src/cluster/api-server.js';
import { EventLog } from '../../src/cluster/event-log.js';
import { InformerFactory } from '../../src/cluster/informer.js';
import type { ControllerContext } from '../../src/controllers/controller.js';
import { constant } from '../../src/engine/distribution.js';
import { RandomStreams } from '../../src/engine/random.js';
import { Simulation } from '../../src/engine/simulation.js';
import { DEFAULT_IMAGE_PROFILE, type ImageProfile, TableImageCatalog } from '../../src/kubelet/image-profile.js';
import { DEFAULT_KUBELET_SETTINGS, type Kubelet, type KubeletSettings, type NodeRegistration } from '../../src/kubelet/kubelet.js';
import { KubeletManager } from '../../src/kubelet/kubelet-manager.js';
import { recordObjectEvents } from '../../src/metrics/object-events.js';

/** One second in the engine's unit. */
export const S = 1000;

export interface ProfileOptions {
  pull?: number;
  start?: number;
  /** undefined = the default profile's (0); null = never ready. */
  ready?: number | null;
  crashAfter?: number;
  crashExitCode?: number;
  run?: number;
  fail?: { probability: number; exitCode: number };
  stop?: number;
  pullError?: string;
  sizeBytes?: number;
}

/** An image profile of constant durations in ms: pull, start and stop default to 0, the rest to DEFAULT_IMAGE_PROFILE. */
export function profile(options: ProfileOptions = {}): ImageProfile {
  const p: { -readonly [K in keyof ImageProfile]: ImageProfile[K] } = {
    ...DEFAULT_IMAGE_PROFILE,
    pull: constant(options.pull ?? 0),
    start: constant(options.start ?? 0),
    stop: constant(options.stop ?? 0),
  };
  if (options.ready === null) delete p.ready;
  else if (options.ready !== undefined) p.ready = constant(options.ready);
  if (options.crashAfter !== undefined) p.crash = { after: constant(options.crashAfter), exitCode: options.crashExitCode ?? 1 };
  if (options.run !== undefined) p.run = constant(options.run);
  if (options.fail !== undefined) p.fail = options.fail;
  if (options.pullError !== undefined) p.pullError = options.pullError;
  if (options.sizeBytes !== undefined) p.sizeBytes = options.sizeBytes;
  return p;
}

export interface ClusterOptions {
  images?: Record<string, ImageProfile>;
  settings?: Partial<KubeletSettings>;
  fallback?: ImageProfile;
}

export interface StatusSample {
  readonly t: number;
  readonly status: DeepReadonly<PodStatus> | undefined;
}

export class KubeletCluster {
  readonly sim = new Simulation();
  readonly random = new RandomStreams(1);
  readonly api = new ApiServer(this.sim, this.random, { admission: apiAdmission });
  readonly informers = new InformerFactory(this.api);
  readonly events = new EventLog(this.sim);
  readonly ctx: ControllerContext = { sim: this.sim, api: this.api, informers: this.informers, random: this.random, events: this.events, startTimeMs: 0 };
  readonly manager: KubeletManager;
  readonly unknownImages: string[] = [];
  /** Every committed status of every pod, by pod name, with the commit time. */
  private readonly history = new Map<string, StatusSample[]>();
  /** Times at which pods left the API server. */
  readonly removedAt = new Map<string, number>();

  constructor(options: ClusterOptions = {}) {
    const catalog = new TableImageCatalog(new Map(Object.entries(options.images ?? {})), options.fallback ?? DEFAULT_IMAGE_PROFILE, (image) => this.unknownImages.push(image));
    this.manager = new KubeletManager(this.ctx, catalog, { ...DEFAULT_KUBELET_SETTINGS, ...options.settings });
    this.api.observe((commit) => recordObjectEvents(commit, this.events));
    this.api.observe((commit) => {
      if (commit.object.kind !== 'Pod') return;
      const name = commit.object.metadata.name;
      if (commit.type === 'DELETED') {
        this.removedAt.set(name, this.sim.now);
        return;
      }
      const list = this.history.get(name) ?? [];
      list.push({ t: this.sim.now, status: (commit.object as DeepReadonly<Pod>).status });
      this.history.set(name, list);
    });
  }

  addNode(name = 'node-a', extra: Partial<NodeRegistration> = {}): Kubelet {
    return this.manager.addNode({ name, index: [...this.manager.nodeNames()].length, labels: {}, taints: [], capacity: { cpu: '4', memory: '8Gi', pods: '110' }, ...extra });
  }

  createPod(name: string, spec: Partial<PodSpec> & { containers: Container[] }, nodeName = 'node-a'): DeepReadonly<Pod> {
    return this.api.create<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName, ...spec } });
  }

  pod(name: string): DeepReadonly<Pod> | undefined {
    return this.api.get<Pod>('Pod', 'default', name);
  }

  /** Runs to `ms` (virtual, inclusive). */
  runTo(ms: number): void {
    this.sim.run({ until: ms });
  }

  statuses(name: string): readonly StatusSample[] {
    return this.history.get(name) ?? [];
  }

  /** The pod's status as it stood at virtual time `ms` (after every commit at that instant). */
  statusAt(name: string, ms: number): DeepReadonly<PodStatus> | undefined {
    let last: DeepReadonly<PodStatus> | undefined;
    for (const s of this.statuses(name)) if (s.t <= ms) last = s.status;
    return last;
  }

  /** First commit time at which `predicate` holds for the pod's status. */
  firstTime(name: string, predicate: (status: DeepReadonly<PodStatus>) => boolean): number | undefined {
    return this.statuses(name).find((s) => s.status !== undefined && predicate(s.status))?.t;
  }

  /** Parsed events.jsonl lines. */
  eventLines(): Record<string, unknown>[] {
    return this.events.jsonLines().map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** `t` (seconds) of every event of `type` about `name`. */
  eventTimes(type: string, name?: string): number[] {
    return this.eventLines().filter((e) => e.type === type && (name === undefined || e.name === name)).map((e) => e.t as number);
  }
}

export function container(name: string, image: string, extra: Partial<Container> = {}): Container {
  return { name, image, ...extra };
}

export function readyCondition(status: DeepReadonly<PodStatus> | undefined): string | undefined {
  return status?.conditions?.find((c) => c.type === 'Ready')?.status;
}

export function containerStatus(status: DeepReadonly<PodStatus> | undefined, name: string) {
  return status?.containerStatuses?.find((c) => c.name === name);
}

