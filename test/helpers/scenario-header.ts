/**
 * The header of a test scenario file — apiVersion to `---` — from its few varying parts, so a
 * test spells out only what it is about (the images, the events) and the manifests after it.
 * The text is the YAML a user would write, loaded through the real loader by the caller.
 */
export interface ScenarioHeader {
  readonly name: string;
  readonly duration: string;
  readonly seed?: number;
  /** Nodes in the one pool, `pool`, each 8 CPUs, 32 GiB and 110 pods. */
  readonly nodes: number;
  /** Image name → its profile in flow style, e.g. `{pull: 2s, start: 1s}`. */
  readonly images: Readonly<Record<string, string>>;
  /** Event entries in flow style, e.g. `{at: 30s, addNodes: {pool: pool, count: 1}}`. */
  readonly events?: readonly string[];
  /** Expectation entries in flow style. */
  readonly expect?: readonly string[];
}

/** The header text, ending with the `---` that the first manifest follows. */
export function scenarioHeader(h: ScenarioHeader): string {
  const lines = [
    'apiVersion: k8sim/v1alpha1',
    'kind: Scenario',
    `metadata: {name: ${h.name}}`,
    'spec:',
    ...(h.seed !== undefined ? [`  seed: ${h.seed}`] : []),
    `  duration: ${h.duration}`,
    '  cluster:',
    '    nodePools:',
    `      - {name: pool, count: ${h.nodes}, capacity: {cpu: "8", memory: 32Gi, pods: 110}}`,
    '  images:',
    ...Object.entries(h.images).map(([image, profile]) => `    ${image}: ${profile}`),
  ];
  if (h.events?.length) lines.push('  events:', ...h.events.map((e) => `    - ${e}`));
  if (h.expect?.length) lines.push('  expect:', ...h.expect.map((e) => `    - ${e}`));
  return `${lines.join('\n')}\n---\n`;
}
