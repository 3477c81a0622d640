/**
 * The kubelet's record of one container (what the container runtime reports through CRI):
 * its state, readiness, restarts and last termination. Pod status is generated from these.
 */
import type { Timer } from '../engine/simulation.js';
import type { DeepReadonly } from '../api/types/meta.js';
import type { Container, ContainerStatus } from '../api/types/pod.js';
import { Backoff, CONTAINER_BACKOFF } from './backoff.js';
import type { ImageProfile } from './image-profile.js';

export type WaitingReason =
  | 'ContainerCreating'
  | 'PodInitializing'
  | 'ErrImagePull'
  | 'ImagePullBackOff'
  | 'ErrImageNeverPull'
  | 'CrashLoopBackOff';

export interface Termination {
  readonly exitCode: number;
  readonly reason: string;
  readonly startedAt?: number;
  readonly finishedAt: number;
}

export class ContainerRuntime {
  state: 'waiting' | 'running' | 'terminated' = 'waiting';
  waitingReason: WaitingReason = 'ContainerCreating';
  waitingMessage?: string;
  startedAt?: number;
  /** The current termination, when state is terminated. */
  terminated?: Termination;
  /** The previous run's termination (lastState). */
  lastTermination?: Termination;
  ready = false;
  started = false;
  restartCount = 0;
  /** An init container that ran to completion. */
  completed = false;
  /** The status last generated for this container (pod-status.ts reuses it while it holds). */
  reported?: ContainerStatus;
  /** Created on first use (see restartBackoff): most containers never restart nor fail a pull. */
  private restarts?: Backoff;
  private pulls?: Backoff;
  /**
   * Timers tied to the current run of this container (readiness, exit, restart), cancelled
   * together (see addTimer): two slots, enough for most containers (one with probes and an exit
   * time needs the list too: the creating timer still holds a slot at the instant it runs), and
   * a list for more.
   */
  private timer?: Timer;
  private otherTimer?: Timer;
  private moreTimers?: Timer[];

  constructor(
    /** Replaced when the pod's spec changes the container (a new image). */
    public spec: DeepReadonly<Container>,
    public profile: ImageProfile,
    readonly init: boolean,
  ) {
    if (init) this.waitingReason = 'PodInitializing';
  }

  get name(): string {
    return this.spec.name;
  }

  get image(): string {
    return this.spec.image ?? '';
  }

  /** An init container with restartPolicy Always: a sidecar that keeps running. */
  get sidecar(): boolean {
    return this.init && this.spec.restartPolicy === 'Always';
  }

  /** The restart back-off (CrashLoopBackOff). */
  get restartBackoff(): Backoff {
    return (this.restarts ??= new Backoff());
  }

  /** The image pull back-off (ImagePullBackOff). */
  get pullBackoff(): Backoff {
    return (this.pulls ??= new Backoff(CONTAINER_BACKOFF, false));
  }

  /** After a successful pull: forgets failed pulls, if there were any. */
  resetPullBackoff(): void {
    this.pulls?.reset();
  }

  /**
   * Ties `timer` to the current run, to be cancelled with it. Fields rather than an array: every
   * container of every pod keeps its timers for its whole run, and an array grown by push gets
   * room for 17 at its first element (V8's growth step), which the young-generation collector
   * then copies and promotes with the container. A slot whose timer was due before `now` is
   * free again: that timer has run (or been skipped), and cancelling it would change nothing.
   */
  addTimer(timer: Timer, now: number): void {
    if (this.timer === undefined || this.timer.time < now) this.timer = timer;
    else if (this.otherTimer === undefined || this.otherTimer.time < now) this.otherTimer = timer;
    else (this.moreTimers ??= []).push(timer);
  }

  cancelTimers(): void {
    this.timer?.cancel();
    this.otherTimer?.cancel();
    this.timer = undefined;
    this.otherTimer = undefined;
    const more = this.moreTimers;
    if (more === undefined) return;
    for (const timer of more) timer.cancel();
    this.moreTimers = undefined;
  }
}
