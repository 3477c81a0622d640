/**
 * How many feasible nodes a cycle looks for before it stops filtering
 * (pkg/scheduler/schedule_one.go: numFeasibleNodesToFind). Scoring every node of a large
 * cluster buys little placement quality for a lot of time, so big clusters score a sample.
 *
 * Worked examples with the adaptive default (percentage 0): 50 nodes → all 50; 1,000 nodes →
 * 50 − 1000/125 = 42 % → 420; 5,000 nodes → 10 % → 500; 6,000 nodes → 2 %, raised to the 5 %
 * floor → 300; 200 nodes → 49 % = 98, raised to the 100-node minimum.
 */

/** Below this many nodes every node is evaluated, and no cycle looks for fewer. */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** The adaptive percentage never drops below this. */
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/**
 * @param percentageOfNodesToScore the profile's value, else the global one; 0 means adaptive.
 * @param numAllNodes nodes in the cluster (or in PreFilter's candidate set).
 */
export function numFeasibleNodesToFind(percentageOfNodesToScore: number, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage === 0) {
    percentage = 50 - Math.trunc(numAllNodes / 125);
    if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const numNodes = Math.trunc((numAllNodes * percentage) / 100);
  return numNodes < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : numNodes;
}
