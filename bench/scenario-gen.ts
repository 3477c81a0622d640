/**
 * Generated benchmark scenarios: `nodes` nodes in three zones, `deployments` Deployments of
 * `replicas` pods each, created at t = 0 and all rolled to a new image at `rollAt`.
 */
export interface ClusterShape {
  readonly name: string;
  readonly nodes: number;
  readonly deployments: number;
  readonly replicas: number;
  readonly rollAtMinutes: number;
  readonly durationMinutes: number;
}

export function generatedScenario(shape: ClusterShape): string {
  const zones = ['a', 'b', 'c'];
  const perZone = Math.ceil(shape.nodes / zones.length);
  const pools = zones
    .map((z, i) => ({ z, count: Math.min(perZone, shape.nodes - i * perZone) }))
    .filter((p) => p.count > 0)
    .map((p) => `      - {name: zone-${p.z}, count: ${p.count}, capacity: {cpu: "32", memory: 128Gi, pods: 250}, labels: {topology.kubernetes.io/zone: zone-${p.z}}}`)
    .join('\n');
  const events: string[] = [];
  const manifests: string[] = [];
  for (let i = 0; i < shape.deployments; i++) {
    events.push(`    - at: ${shape.rollAtMinutes}m\n      setImage: {target: deployment/svc-${i}, image: app:v2}`);
    manifests.push(`---
apiVersion: apps/v1
kind: Deployment
metadata: {name: svc-${i}}
spec:
  replicas: ${shape.replicas}
  selector: {matchLabels: {app: svc-${i}}}
  template:
    metadata: {labels: {app: svc-${i}}}
    spec:
      containers:
        - name: app
          image: app:v1
          resources: {requests: {cpu: 100m, memory: 128Mi}}
          readinessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 5}`);
  }
  return `apiVersion: k8sim/v1alpha1
kind: Scenario
metadata: {name: ${shape.name}}
spec:
  seed: 1
  duration: ${shape.durationMinutes}m
  sampleInterval: 30s
  cluster:
    nodePools:
${pools}
  images:
    app:v1: {pull: {lognormal: {median: 3s, p99: 20s}}, start: 1s, ready: 4s}
    app:v2: {pull: {lognormal: {median: 3s, p99: 20s}}, start: 1s, ready: 4s}
  events:
${events.join('\n')}
${manifests.join('\n')}
`;
}
