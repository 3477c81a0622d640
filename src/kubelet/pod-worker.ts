/**
 * One pod on one node, as the kubelet runs it (pkg/kubelet/pod_workers.go, kuberuntime_manager.go
 * SyncPod, kuberuntime_container.go): sandbox, init containers one after another, image pulls,
 * container start, readiness by probe timing, exits and restarts with CrashLoopBackOff, and
 * graceful termination (preStop sleep, SIGTERM, SIGKILL at the grace deadline) ending with the
 * final delete that removes the pod object.
 *
 * Deliberate gaps: liveness probes are not run (images model crashes directly); exec/http
 * preStop hooks take no time (only `sleep` is modelled); a terminating pod keeps its Ready
 * condition until its containers stop, and its terminal phase is written before the final delete
 * only when a finalizer keeps the pod visible after it (a batch process stopped by SIGTERM exits
 * 143, a service 0); imagePullPolicy Always does not re-pull an image already on the node.
 */
import { sample } from '../engine/distribution.js';
import type { Rng } from '../engine/random.js';
import type { Simulation, Timer } from '../engine/simulation.js';
import type { DeepReadonly, Time } from '../api/types/meta.js';
import type { Pod, PodStatus } from '../api/types/pod.js';
import { ContainerRuntime, type Termination } from './container-runtime.js';
import type { ImageCatalog } from './image-profile.js';
import type { ImageManager } from './image-manager.js';
import { lostContainerTermination } from './node-fault.js';
import type { PodRuntimeView } from './pod-status.js';
import { probeSuccessTime } from './probes.js';

/** What a pod worker needs from its kubelet. */
export interface PodWorkerHost {
  readonly sim: Simulation;
  readonly rng: Rng;
  readonly images: ImageManager;
  readonly catalog: ImageCatalog;
  readonly hostIP: string;
  /** Writes the status generated from the worker, if it differs from the stored one. */
  syncStatus(worker: PodWorker): void;
  /** The final, zero-grace delete once every container has stopped. */
  deletePod(worker: PodWorker): void;
  /** Records a kubelet event (image pull failures). */
  emit(type: string, worker: PodWorker, fields: Record<string, string | number>): void;
}

/** Exit code of a container killed by SIGKILL. */
const SIGKILL_EXIT_CODE = 137;
/** Exit code of a batch process (an image that runs to completion) stopped by SIGTERM before it finished. */
const SIGTERM_EXIT_CODE = 143;
/** The kubelet re-syncs a pod whose sync failed after backOffPeriod (pkg/kubelet/kubelet.go). */
const POD_WORKER_BACKOFF_MS = 10_000;

/**
 * The init containers of a pod without any (nearly every one), shared: each worker lives as long
 * as its pod, and an empty array of its own would be copied and promoted with it.
 */
const NO_CONTAINERS: readonly ContainerRuntime[] = Object.freeze([]);

export class PodWorker implements PodRuntimeView {
  readonly initContainers: readonly ContainerRuntime[];
  readonly containers: ContainerRuntime[];
  readonly restartPolicy: 'Always' | 'OnFailure' | 'Never';
  /** The app containers then the init containers, listed once: termination walks them all. */
  private readonly allContainers: readonly ContainerRuntime[];
  sandboxReady = false;
  startTime?: Time;
  terminating = false;
  /** The status last generated for the pod (pod-status.ts: generatePodStatus keeps these). */
  generated: PodStatus | undefined = undefined;
  generatedConditions = 0;
  generatedSlots = -1;
  private flushTimer?: Timer;
  private terminationTimer?: Timer;
  private killDeadline?: number;
  private finished = false;
  /**
   * Containers that ended for good before the node stopped (resumeAfterNodeStop): never run
   * again. Created by resumeAfterNodeStop only, so that a pod that never lived through a node
   * stop (nearly every one) allocates no Set.
   */
  private endedBeforeStop?: Set<ContainerRuntime>;

  constructor(
    private readonly host: PodWorkerHost,
    public pod: DeepReadonly<Pod>,
    readonly podIP: string,
  ) {
    this.restartPolicy = pod.spec.restartPolicy ?? 'Always';
    const catalog = host.catalog;
    const inits = pod.spec.initContainers;
    this.initContainers = inits === undefined ? NO_CONTAINERS : inits.map((c) => new ContainerRuntime(c, catalog.profile(c.image ?? ''), true));
    this.containers = pod.spec.containers.map((c) => new ContainerRuntime(c, catalog.profile(c.image ?? ''), false));
    if (this.initContainers.length > 0) for (const c of this.containers) c.waitingReason = 'PodInitializing';
    this.allContainers = this.initContainers.length === 0 ? this.containers : [...this.containers, ...this.initContainers];
  }

  /**
   * The pod object changed. A container whose image changed is restarted with the new image, as
   * the kubelet restarts a container whose spec hash changed ("definition changed"). Deliberate
   * simplification: the old container stops at once instead of taking its grace period.
   */
  update(pod: DeepReadonly<Pod>): void {
    // Most updates a kubelet sees are its own status writes coming back, with the spec object
    // the API server shares between versions: the containers already match that spec.
    const sameSpec = pod.spec === this.pod.spec;
    this.pod = pod;
    if (sameSpec || this.terminating || this.finished) return;
    for (const spec of pod.spec.containers) {
      const c = this.containers.find((x) => x.name === spec.name);
      if (c === undefined || c.image === (spec.image ?? '')) continue;
      c.spec = spec;
      c.profile = this.host.catalog.profile(spec.image ?? '');
      if (c.state !== 'running' && c.lastTermination === undefined && c.terminated === undefined) continue;
      c.cancelTimers();
      if (c.state === 'running') c.terminated = { exitCode: 0, reason: 'Completed', startedAt: c.startedAt, finishedAt: this.now };
      c.lastTermination = c.terminated ?? c.lastTermination;
      c.terminated = undefined;
      c.state = 'waiting';
      c.started = false;
      c.ready = false;
      c.restartCount++;
      this.pullAndStart(c);
    }
  }

  /** Not stopped, nor finished with the pod: its kubelet keeps it under its uid exactly as long. */
  get running(): boolean {
    return !this.finished;
  }

  get hostIP(): string {
    return this.host.hostIP;
  }

  get uid(): string {
    return this.pod.metadata.uid ?? '';
  }

  private get now(): Time {
    return this.host.sim.now;
  }

  /** Creates the sandbox and starts the first container(s). */
  start(): void {
    this.sandboxReady = true;
    this.startTime = this.now;
    this.changed();
    // A pod whose containers all ended for good before its node stopped has nothing to run again.
    const ended = this.endedBeforeStop;
    if (ended !== undefined && this.containers.length > 0 && this.containers.every((c) => ended.has(c))) return;
    this.runNextInit();
  }

  /**
   * Before start(): the pod ran on this node until the node stopped at `stoppedAt` (node-fault.ts).
   * Each container keeps its restart count; one that was running was lost with the node (exit
   * 255, reason Unknown) and runs again — as a restart — unless restartPolicy says it may not;
   * one that had ended for good stays ended.
   */
  resumeAfterNodeStop(previous: DeepReadonly<PodStatus> | undefined, stoppedAt: Time): void {
    for (const c of this.containers) {
      const before = previous?.containerStatuses?.find((s) => s.name === c.name);
      if (before === undefined) continue;
      c.restartCount = before.restartCount;
      const asTermination = (t: NonNullable<NonNullable<typeof before.lastState>['terminated']>): Termination =>
        ({ exitCode: t.exitCode, reason: t.reason ?? '', startedAt: t.startedAt, finishedAt: t.finishedAt ?? stoppedAt });
      const previousRun = before.lastState?.terminated !== undefined ? asTermination(before.lastState.terminated) : undefined;
      let ended: Termination | undefined;
      if (before.state?.running !== undefined) ended = lostContainerTermination(before.state.running.startedAt, stoppedAt);
      else if (before.state?.terminated !== undefined) ended = asTermination(before.state.terminated);
      if (ended === undefined) {
        // It was waiting: to start for the first time, or to restart after previousRun.
        c.lastTermination = previousRun;
        if (previousRun !== undefined) c.restartCount++;
        continue;
      }
      if (this.restartPolicy === 'Always' || (this.restartPolicy === 'OnFailure' && ended.exitCode !== 0)) {
        c.lastTermination = ended;
        c.restartCount++;
        continue;
      }
      c.state = 'terminated';
      c.terminated = ended;
      c.lastTermination = previousRun;
      (this.endedBeforeStop ??= new Set()).add(c);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Container lifecycle

  private runNextInit(): void {
    const next = this.initContainers.find((c) => !c.completed && !(c.sidecar && c.started));
    if (next === undefined) {
      for (const c of this.containers) if (this.endedBeforeStop?.has(c) !== true) this.pullAndStart(c);
      return;
    }
    this.pullAndStart(next);
  }

  private pullAndStart(c: ContainerRuntime): void {
    c.waitingReason = 'ContainerCreating';
    c.waitingMessage = undefined;
    this.changed();
    if (c.spec.imagePullPolicy === 'Never' && !this.host.images.has(c.image)) {
      c.waitingReason = 'ErrImageNeverPull';
      c.waitingMessage = `Container image "${c.image}" is not present with pull policy of Never`;
      this.changed();
      return;
    }
    // An image already on the node (nearly every start) is used at once, as ensure would call
    // back at once: no callback closure is made for it.
    if (this.host.images.has(c.image)) {
      this.imagePulled(c);
      return;
    }
    this.host.images.ensure(c.image, c.profile, (result) => {
      if (result.ok) {
        this.imagePulled(c);
        return;
      }
      if (this.terminating || this.finished) return;
      c.waitingReason = 'ErrImagePull';
      c.waitingMessage = result.message;
      this.host.emit('ImagePullFailed', this, { container: c.name, image: c.image, message: result.message });
      this.changed();
      const delay = c.pullBackoff.next(this.now);
      // ErrImagePull shows until the pod worker syncs again (it re-queues a failed pod after
      // backOffPeriod); while the pull back-off lasts, that sync reports ImagePullBackOff.
      if (delay > POD_WORKER_BACKOFF_MS) {
        c.addTimer(this.host.sim.schedule(POD_WORKER_BACKOFF_MS, () => {
          c.waitingReason = 'ImagePullBackOff';
          c.waitingMessage = `Back-off pulling image "${c.image}"`;
          this.changed();
        }), this.now);
      }
      c.addTimer(this.host.sim.schedule(delay, () => this.pullAndStart(c)), this.now);
    });
  }

  /** The container's image is on the node: the container is created. */
  private imagePulled(c: ContainerRuntime): void {
    if (this.terminating || this.finished) return;
    c.resetPullBackoff();
    this.createContainer(c);
  }

  /** Runs `action` after `delay`; `waiting` (if any) runs at once when there is a delay. */
  private after(c: ContainerRuntime, delay: number, action: () => void, waiting?: () => void): void {
    if (delay <= 0) {
      action();
      return;
    }
    waiting?.();
    c.addTimer(this.host.sim.schedule(delay, action), this.now);
  }

  private createContainer(c: ContainerRuntime): void {
    c.waitingReason = 'ContainerCreating';
    c.waitingMessage = undefined;
    c.addTimer(this.host.sim.schedule(sample(c.profile.start, this.host.rng), () => this.containerRunning(c)), this.now);
  }

  private containerRunning(c: ContainerRuntime): void {
    const now = this.now;
    c.state = 'running';
    c.startedAt = now;
    c.terminated = undefined;
    c.waitingMessage = undefined;
    const appReadyAt = c.profile.ready !== undefined ? now + sample(c.profile.ready, this.host.rng) : Infinity;
    const startedAt = c.spec.startupProbe ? probeSuccessTime(c.spec.startupProbe, now, appReadyAt) : now;
    const readyAt = c.spec.readinessProbe
      ? probeSuccessTime(c.spec.readinessProbe, now, Math.max(appReadyAt, startedAt))
      : startedAt;
    if (startedAt <= now) c.started = true;
    else if (startedAt !== Infinity) c.addTimer(this.host.sim.scheduleAt(startedAt, () => this.markStarted(c)), this.now);
    if (c.init && !c.sidecar) {
      this.scheduleExit(c, c.profile.run !== undefined ? sample(c.profile.run, this.host.rng) : 0);
    } else {
      if (readyAt <= now) c.ready = true;
      else if (readyAt !== Infinity) c.addTimer(this.host.sim.scheduleAt(readyAt, () => this.markReady(c)), this.now);
      if (c.profile.crash !== undefined) this.scheduleExit(c, sample(c.profile.crash.after, this.host.rng), c.profile.crash.exitCode);
      else if (c.profile.run !== undefined) this.scheduleExit(c, sample(c.profile.run, this.host.rng));
    }
    this.changed();
    if (c.sidecar && c.started) this.runNextInit();
  }

  private markStarted(c: ContainerRuntime): void {
    c.started = true;
    this.changed();
    if (c.sidecar) this.runNextInit();
  }

  private markReady(c: ContainerRuntime): void {
    c.ready = true;
    this.changed();
  }

  private scheduleExit(c: ContainerRuntime, afterMs: number, exitCode?: number): void {
    c.addTimer(this.host.sim.schedule(afterMs, () => this.exited(c, exitCode ?? this.drawExitCode(c))), this.now);
  }

  /** A container that runs to completion fails with the image's probability. */
  private drawExitCode(c: ContainerRuntime): number {
    const fail = c.profile.fail;
    if (fail === undefined || fail.probability <= 0) return 0;
    return this.host.rng.next() < fail.probability ? fail.exitCode : 0;
  }

  /** The container's process ended: record it and restart per restartPolicy. */
  exited(c: ContainerRuntime, exitCode: number): void {
    if (c.state !== 'running' || this.terminating) return;
    const now = this.now;
    c.cancelTimers();
    c.state = 'terminated';
    c.ready = false;
    c.terminated = { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: c.startedAt, finishedAt: now };
    if (c.init && !c.sidecar && exitCode === 0) {
      c.completed = true;
      this.changed();
      this.runNextInit();
      return;
    }
    const restart = this.restartPolicy === 'Always' || c.sidecar || (this.restartPolicy === 'OnFailure' && exitCode !== 0);
    this.changed();
    if (!restart) return;
    const delay = c.restartBackoff.next(now);
    // The finished run becomes lastState as soon as the container waits to restart.
    const retire = () => {
      c.lastTermination = c.terminated;
      c.terminated = undefined;
      c.state = 'waiting';
      c.started = false;
    };
    const restartNow = () => {
      if (c.terminated !== undefined) retire();
      c.restartCount++;
      this.createContainer(c);
      this.changed();
    };
    this.after(c, delay, restartNow, () => {
      retire();
      c.waitingReason = 'CrashLoopBackOff';
      c.waitingMessage = `back-off ${Math.round(delay / 1000)}s restarting failed container=${c.name} pod=${this.pod.metadata.name}`;
      this.changed();
    });
  }

  /** killPod: the named (or first running) container's process exits. Returns whether one did. */
  kill(containerName: string | undefined, exitCode: number): string | undefined {
    const target = this.containers.find((c) => c.state === 'running' && (containerName === undefined || c.name === containerName));
    if (target === undefined) return undefined;
    this.exited(target, exitCode);
    return target.name;
  }

  // -------------------------------------------------------------------------------------------
  // Termination

  /**
   * The pod got a deletionTimestamp: stop probing and restarting, give each running container
   * its preStop sleep and shutdown time within the grace period, then delete the pod.
   */
  terminate(pod: DeepReadonly<Pod>): void {
    this.pod = pod;
    // The kubelet counts the grace period from when it starts killing (killPod's
    // gracePeriodOverride), and a shorter one given later cuts in from that moment; the API
    // server's deletionTimestamp is informational to it.
    const graceDeadline = this.now + (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
    const deadline = this.killDeadline === undefined ? graceDeadline : Math.min(this.killDeadline, graceDeadline);
    this.killDeadline = deadline;
    // A second call (a shorter grace period) replaces the pending final delete.
    this.terminationTimer?.cancel();
    this.terminating = true;
    let lastStop = this.now;
    for (const c of this.allContainers) {
      c.cancelTimers();
      if (c.state !== 'running') continue;
      const preStop = (c.spec.lifecycle?.preStop?.sleep?.seconds ?? 0) * 1000;
      const wanted = this.now + preStop + sample(c.profile.stop, this.host.rng);
      const stopAt = Math.min(wanted, deadline);
      lastStop = Math.max(lastStop, stopAt);
      // A service shuts down cleanly; interrupted batch work did not complete.
      const graceful = c.profile.run !== undefined ? SIGTERM_EXIT_CODE : 0;
      const exitCode = wanted <= deadline ? graceful : SIGKILL_EXIT_CODE;
      c.terminated = { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: c.startedAt, finishedAt: stopAt };
    }
    this.terminationTimer = this.host.sim.scheduleAt(lastStop, () => this.finishTermination());
  }

  private finishTermination(): void {
    if (this.finished) return;
    this.finished = true;
    // Every container has stopped: what a terminal status reports (see Kubelet.deletePod).
    for (const c of this.allContainers) {
      if (c.state !== 'running' || c.terminated === undefined) continue;
      c.state = 'terminated';
      c.ready = false;
    }
    this.host.deletePod(this);
  }

  /** Forgets the pod: it is gone or the kubelet stopped. */
  stop(): void {
    this.finished = true;
    this.flushTimer?.cancel();
    this.terminationTimer?.cancel();
    for (const c of this.allContainers) c.cancelTimers();
  }

  // -------------------------------------------------------------------------------------------
  // Status

  /** Coalesces the transitions of one instant into one status write (the status manager). */
  private changed(): void {
    if (this.flushTimer !== undefined || this.finished) return;
    // A closure per flush, not one per worker made once: the flush runs within the same instant,
    // while a fresh closure is still in the CPU's cache, where a worker's own would have gone
    // cold since the worker started (measured: a cache miss that was a sixth of the flush).
    this.flushTimer = this.host.sim.schedule(0, () => this.flush());
  }

  /** The coalesced write. */
  private flush(): void {
    this.flushTimer = undefined;
    if (!this.finished && !this.terminating) this.host.syncStatus(this);
  }
}
