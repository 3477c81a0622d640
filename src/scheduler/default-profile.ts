/**
 * The default profile's plugins in upstream's order, with their score weights
 * (pkg/scheduler/apis/config/v1/default_plugins.go): filters NodeUnschedulable, NodeName,
 * TaintToleration, NodeAffinity, NodeResourcesFit; scores TaintToleration 3, NodeAffinity 2,
 * NodeResourcesFit (LeastAllocated) 1, NodeResourcesBalancedAllocation 1, ImageLocality 1.
 *
 * Left out (not modelled): SchedulingGates, PrioritySort (built into the queue), NodePorts,
 * VolumeRestrictions, NodeVolumeLimits, VolumeBinding, VolumeZone, PodTopologySpread (weight 2,
 * including the system default spreading constraints), InterPodAffinity (weight 2),
 * DefaultPreemption, DynamicResources and DefaultBinder (binding goes straight to the API
 * server). Without PodTopologySpread, replicas of one workload spread only through
 * LeastAllocated, not across zones or hostnames.
 */
import type { PluginConfig } from './framework.js';
import { BalancedAllocation } from './plugins/balanced-allocation.js';
import { ImageLocality, type ImageLocalityHandle } from './plugins/image-locality.js';
import { NodeAffinity } from './plugins/node-affinity.js';
import { NodeName } from './plugins/node-name.js';
import { NodeResourcesFit } from './plugins/node-resources-fit.js';
import { NodeUnschedulable } from './plugins/node-unschedulable.js';
import { TaintToleration } from './plugins/taint-toleration.js';

/** A fresh set of default plugins (plugins hold per-cycle state, so never share them). */
export function defaultPlugins(handle: ImageLocalityHandle): PluginConfig[] {
  return [
    { plugin: new NodeUnschedulable() },
    { plugin: new NodeName() },
    { plugin: new TaintToleration(), weight: 3 },
    { plugin: new NodeAffinity(), weight: 2 },
    { plugin: new NodeResourcesFit(), weight: 1 },
    { plugin: new BalancedAllocation(), weight: 1 },
    { plugin: new ImageLocality(handle), weight: 1 },
  ];
}
