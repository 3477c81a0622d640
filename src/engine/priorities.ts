/**
 * Priorities order events that fall on the same virtual millisecond. Lower runs first.
 *
 * The order mirrors causality inside one instant: the run's own stop comes first (so `until`
 * is exact), then watch deliveries (informers see every write made so far), then timers and
 * scenario actions, then controller work queues (which therefore coalesce every key added
 * during the instant into one reconcile), then observers that judge the settled state
 * (convergence), and last the timeline sampler, which records the instant after everything in
 * it has happened.
 */
export const Priority = {
  /** The run's stop at `until`. */
  Urgent: 0,
  /** API server → informer watch events. */
  Watch: 10,
  /** Scenario actions at their `at`. */
  Action: 15,
  /** Ordinary timers: kubelet steps, delayed queue adds, scheduler cycles. */
  Timer: 20,
  /** Controller work-queue processing. */
  Controller: 30,
  /** Observers that evaluate the state settled at this instant. */
  Observe: 40,
  /** Timeline sampling. */
  Sample: 50,
} as const;

export type PriorityValue = (typeof Priority)[keyof typeof Priority];
