/**
 * Fixtures for the CronJob tests: the upstream vectors (vectors.json, the `cronjob-*` areas of
 * shared/reference/k8s-vectors.json), CronJobs and Jobs shaped like upstream's test fixtures
 * (pkg/controller/cronjob/cronjob_controllerv2_test.go: cronJob(), jobSpec()), and fakes of the
 * controller's API calls and event recorder (upstream's fakeJobControl, fakeCJControl and
 * record.FakeRecorder).
 *
 * Time convention for the pure tests: startTimeMs = 0, so wall-clock Unix ms and the objects'
 * virtual ms coincide.
 */
import { type Vector as SharedVector, loadVectors as loadVectorsFrom } from '../deployment/builders.js';
import type { CronJob } from '../../../src/api/types/cronjob.js';
import type { Job } from '../../../src/api/types/job.js';
import type { DeepReadonly } from '../../../src/api/types/meta.js';
import type { CronJobRecorder, EventDetails, EventType, JobControl, SyncContext } from '../../../src/controllers/cronjob/sync.js';
import { ApiError } from '../../../src/errors.js';

/** An upstream test vector; inputs and expectations read loosely, as JSON. */
export type Vector<I = Record<string, any>, E = Record<string, any>> = SharedVector<I, E>;

/** The vectors of one area of this folder's vectors.json. */
export function loadVectors(area: string): Vector<any, any>[] {
  return loadVectorsFrom(new URL('./vectors.json', import.meta.url), area);
}

/** An RFC 3339 time (any offset, fractions) as Unix ms; null/undefined stay undefined. */
export function at(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`bad vector time ${text}`);
  return ms;
}

export function must(text: string): number {
  const ms = at(text);
  if (ms === undefined) throw new Error('time required');
  return ms;
}

/** cronJob() of the upstream tests: `mycronjob` in `snazzycats`, uid 1a2b3c. */
export function newCronJob(edit?: (cj: CronJob) => void): CronJob {
  const cj: CronJob = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'mycronjob', namespace: 'snazzycats', uid: '1a2b3c', creationTimestamp: must('2016-05-19T09:59:00Z') },
    spec: {
      schedule: '* * * * ?',
      concurrencyPolicy: 'Allow',
      jobTemplate: {
        metadata: { labels: { a: 'b' }, annotations: { x: 'y' } },
        spec: {
          parallelism: 1,
          completions: 1,
          template: { metadata: { labels: { foo: 'bar' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'foo/bar' }] } },
        },
      },
    },
  };
  edit?.(cj);
  return cj;
}

/** A finished Job condition. */
export function finished(job: Job, type: 'Complete' | 'Failed', completionTime?: number): Job {
  job.status = { ...job.status, conditions: [{ type, status: 'True' }], ...(type === 'Complete' && completionTime !== undefined ? { completionTime } : {}) };
  return job;
}

export interface RecordedEvent {
  readonly type: EventType;
  readonly reason: string;
  readonly message: string;
  readonly details?: EventDetails;
}

export class FakeRecorder implements CronJobRecorder {
  readonly events: RecordedEvent[] = [];

  event(_cj: DeepReadonly<CronJob>, type: EventType, reason: string, message: string, details?: EventDetails): void {
    this.events.push({ type, reason, message, details });
  }

  get warnings(): RecordedEvent[] {
    return this.events.filter((e) => e.type === 'Warning');
  }

  reasons(type?: EventType): string[] {
    return this.events.filter((e) => type === undefined || e.type === type).map((e) => e.reason);
  }
}

/** Jobs by name as the "API server" holds them; records creates and deletes; optional failures. */
export class FakeJobControl implements JobControl {
  readonly stored = new Map<string, Job>();
  readonly created: Job[] = [];
  readonly deleted: string[] = [];
  createError?: ApiError;
  deleteError?: ApiError;
  private uids = 0;

  constructor(jobs: readonly Job[] = []) {
    for (const job of jobs) this.stored.set(job.metadata.name, job);
  }

  getJob(_namespace: string | undefined, name: string): DeepReadonly<Job> {
    const job = this.stored.get(name);
    if (job === undefined) throw new ApiError('NotFound', `jobs.batch "${name}" not found`);
    return job;
  }

  createJob(job: Job): DeepReadonly<Job> {
    if (this.createError !== undefined) throw this.createError;
    if (this.stored.has(job.metadata.name)) throw new ApiError('AlreadyExists', `jobs.batch "${job.metadata.name}" already exists`);
    const stored = { ...job, metadata: { ...job.metadata, uid: `test-uid-${++this.uids}`, resourceVersion: '1' } };
    this.created.push(stored);
    this.stored.set(job.metadata.name, stored);
    return stored;
  }

  deleteJob(_namespace: string | undefined, name: string): void {
    if (this.deleteError !== undefined) throw this.deleteError;
    if (!this.stored.delete(name)) throw new ApiError('NotFound', `jobs.batch "${name}" not found`);
    this.deleted.push(name);
  }
}

/** A sync context around fakes; `cronJob` is what a live GET of the CronJob returns. */
export function fakeContext(now: number, jobControl: FakeJobControl, cronJob: CronJob, recorder = new FakeRecorder()): SyncContext & { recorder: FakeRecorder; jobControl: FakeJobControl } {
  return {
    now,
    startTimeMs: 0,
    jobControl,
    recorder,
    cronJobControl: {
      getCronJob: () => cronJob,
    },
  };
}
