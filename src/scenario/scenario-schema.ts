/**
 * The scenario document (scenario-format.md §1) as a schema: every key users may write, so a
 * misspelled one is an error naming the nearest. Events and expectations are lists whose items
 * are checked one by one (scenario/actions.ts, scenario/expectations.ts).
 */
import { isQuantity } from '../api/quantity.js';
import { imagesSchema } from './images.js';
import { type Infer, s } from './schema.js';
import { latenciesSchema, settingsSchema } from './settings.js';

export const SCENARIO_API_VERSION = 'k8sim/v1alpha1';

/** Scenario names name the output folder: lower-case letters, digits and dashes. */
export const SCENARIO_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const quantityText = s.custom('a quantity such as "4", "500m" or "16Gi"', ['string', 'number'], (value, at) => {
  if (!isQuantity(value)) throw at.expected('a quantity such as "4", "500m" or "16Gi"', value);
  return String(value);
});

const taintSchema = s.object({
  fields: {
    key: s.string(),
    value: s.string(),
    effect: s.string({ enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const }),
  },
  required: ['key', 'effect'],
});

export const nodePoolSchema = s.object({
  expected: 'a node pool such as {name: pool-a, count: 3}',
  fields: {
    name: s.string({ pattern: DNS_LABEL, describe: 'a name of lower-case letters, digits and "-"' }),
    count: s.integer({ min: 0 }),
    capacity: s.record(quantityText),
    // Shorthand for the topology.kubernetes.io/zone label (failNode / recoverNode by zone, zone health).
    zone: s.string({ describe: 'a zone name such as "zone-a"' }),
    labels: s.record(s.string()),
    taints: s.array(taintSchema),
    unschedulable: s.boolean(),
  },
  required: ['name', 'count'],
});

export const scenarioSchema = s.object({
  expected: 'the scenario document',
  fields: {
    apiVersion: s.string({ enum: [SCENARIO_API_VERSION] as const }),
    kind: s.string({ enum: ['Scenario'] as const }),
    metadata: s.object({
      fields: {
        name: s.string({ pattern: SCENARIO_NAME, describe: 'a name of lower-case letters, digits and "-" (it names the output folder)' }),
        description: s.string(),
        labels: s.record(s.string()),
        annotations: s.record(s.string()),
      },
    }),
    spec: s.object({
      fields: {
        seed: s.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        duration: s.duration(),
        sampleInterval: s.duration(),
        startTime: s.string({ describe: 'an RFC 3339 time such as "2026-01-01T00:00:00Z"' }),
        include: s.union(s.array(s.string()), s.string()),
        cluster: s.object({
          fields: {
            nodePools: s.array(nodePoolSchema),
            settings: settingsSchema,
            latencies: latenciesSchema,
          },
        }),
        images: imagesSchema,
        traffic: s.array(s.any()),
        faults: s.array(s.any()),
        events: s.array(s.any()),
        expect: s.array(s.any()),
      },
      required: ['duration'],
    }),
  },
  required: ['apiVersion', 'kind', 'spec'],
});

export type ScenarioInput = Infer<typeof scenarioSchema>;
