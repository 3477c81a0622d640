/**
 * The field schema against realistic manifests (helm template and `kubectl get -o yaml` output):
 * no false unknowns on real fields, typos caught with the right path and suggestion, ignored and
 * server-populated fields listed once by their generic path.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { arr, bool, float64, int32, int64, intOrString, obj, opaque, quantity, resourceList, server, str, stringMap, unmodelled, type FieldSchema, type LeafSchema } from '../../../src/api/schema/builders.js';
import { checkFields } from '../../../src/api/schema/check.js';
import { checkManifestFields, hasSchema, type FieldReport } from '../../../src/api/schema/index.js';

function check(yaml: string): FieldReport {
  const manifest = parse(yaml) as { apiVersion: string; kind: string };
  return checkManifestFields(manifest.apiVersion, manifest.kind, manifest);
}

/** `text` with `from` replaced; fails if `from` does not occur exactly once. */
function edit(text: string, from: string, to: string): string {
  assert.equal(text.split(from).length, 2, `expected exactly one ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

const HELM_DEPLOYMENT = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app.kubernetes.io/name: web
    helm.sh/chart: web-1.4.2
  annotations:
    meta.helm.sh/release-name: shop
spec:
  replicas: 3
  revisionHistoryLimit: 5
  progressDeadlineSeconds: 600
  selector:
    matchLabels:
      app.kubernetes.io/name: web
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web
      annotations:
        checksum/config: 3f2a9c
    spec:
      serviceAccountName: web
      securityContext:
        runAsNonRoot: true
        fsGroup: 2000
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 45
      containers:
        - name: web
          image: registry.example.com/shop/web:1.4.2
          imagePullPolicy: IfNotPresent
          args: ["--port=8080"]
          env:
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            - name: LOG_LEVEL
              value: info
          envFrom:
            - configMapRef:
                name: web-config
          ports:
            - name: http
              containerPort: 8080
              protocol: TCP
          livenessProbe:
            httpGet: { path: /healthz, port: http }
            initialDelaySeconds: 10
          readinessProbe:
            httpGet: { path: /ready, port: http, scheme: HTTP }
            periodSeconds: 5
            failureThreshold: 3
          startupProbe:
            tcpSocket: { port: http }
            failureThreshold: 30
          lifecycle:
            preStop:
              sleep: { seconds: 5 }
          resources:
            requests: { cpu: 250m, memory: 256Mi }
            limits: { memory: 512Mi }
          volumeMounts:
            - { name: config, mountPath: /etc/web, readOnly: true }
            - { name: tmp, mountPath: /tmp }
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
        - name: exporter
          image: registry.example.com/shop/exporter:0.9
          imagePullPolicy: Always
          env:
            - { name: TARGET, value: "localhost:8080" }
          ports:
            - { name: metrics, containerPort: 9100 }
          resources:
            requests: { cpu: 10m, memory: 32Mi }
      volumes:
        - name: config
          configMap: { name: web-config, defaultMode: 420 }
        - name: tmp
          emptyDir: {}
      nodeSelector:
        kubernetes.io/os: linux
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
              - matchExpressions:
                  - { key: node.kubernetes.io/instance-type, operator: In, values: [m5.large, m5.xlarge] }
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                labelSelector:
                  matchLabels: { app.kubernetes.io/name: web }
                topologyKey: kubernetes.io/hostname
      tolerations:
        - { key: dedicated, operator: Equal, value: web, effect: NoSchedule }
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels: { app.kubernetes.io/name: web }
`;

describe('a helm-rendered Deployment', () => {
  it('has no unknown fields, lists what is not modelled once, and has no server fields', () => {
    const report = check(HELM_DEPLOYMENT);
    assert.deepEqual(report.unknown, []);
    assert.deepEqual(report.mistyped, []);
    assert.deepEqual(report.unmodelled, [
      'spec.template.spec.serviceAccountName',
      'spec.template.spec.securityContext',
      'spec.template.spec.containers[].args',
      'spec.template.spec.containers[].env',
      'spec.template.spec.containers[].envFrom',
      'spec.template.spec.containers[].volumeMounts',
      'spec.template.spec.containers[].securityContext',
      'spec.template.spec.volumes',
      'spec.template.spec.affinity.podAntiAffinity',
      'spec.template.spec.topologySpreadConstraints',
    ]);
    assert.deepEqual(report.server, []);
  });

  it('reports typos at several depths with the concrete path and the nearest field', () => {
    let yaml = edit(HELM_DEPLOYMENT, '  replicas: 3', '  replcas: 3');
    yaml = edit(yaml, 'imagePullPolicy: Always', 'imagePullPolcy: Always');
    yaml = edit(yaml, '  labels:\n    app.kubernetes.io/name: web\n    helm', '  lables:\n    app.kubernetes.io/name: web\n    helm');
    assert.deepEqual(check(yaml).unknown, [
      { path: ['metadata', 'lables'], key: 'lables', suggestion: 'labels' },
      { path: ['spec', 'replcas'], key: 'replcas', suggestion: 'replicas' },
      { path: ['spec', 'template', 'spec', 'containers', 1, 'imagePullPolcy'], key: 'imagePullPolcy', suggestion: 'imagePullPolicy' },
    ]);
  });

  it('checks field names inside unmodelled fields too, as the API server would', () => {
    const yaml = edit(HELM_DEPLOYMENT, 'runAsNonRoot: true', 'runAsNonRot: true');
    assert.deepEqual(check(yaml).unknown, [
      { path: ['spec', 'template', 'spec', 'securityContext', 'runAsNonRot'], key: 'runAsNonRot', suggestion: 'runAsNonRoot' },
    ]);
  });

  it('leaves out the suggestion when no field is close', () => {
    const yaml = edit(HELM_DEPLOYMENT, '  replicas: 3', '  replicas: 3\n  canaryWeight: 10');
    assert.deepEqual(check(yaml).unknown, [{ path: ['spec', 'canaryWeight'], key: 'canaryWeight' }]);
  });

  it('does not check below opaque values or map keys', () => {
    let yaml = edit(HELM_DEPLOYMENT, 'fieldPath: metadata.name', 'fieldPth: metadata.name');
    yaml = edit(yaml, 'kubernetes.io/os: linux', 'kubernetes.io/os: linux\n        anything-goes: "yes"');
    assert.deepEqual(check(yaml).unknown, []);
  });

  it('reports values of the wrong shape at their path, in document order, without descending into them', () => {
    const report = checkManifestFields('apps/v1', 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: 'web',
      spec: { replicas: { many: true }, template: [{ replcas: 1 }], selector: 'app=web' },
    });
    assert.deepEqual(report, {
      unknown: [],
      mistyped: [
        { path: ['metadata'], expected: 'object', value: 'web' },
        { path: ['spec', 'replicas'], expected: 'int32', value: { many: true } },
        { path: ['spec', 'template'], expected: 'object', value: [{ replcas: 1 }] },
        { path: ['spec', 'selector'], expected: 'object', value: 'app=web' },
      ],
      unmodelled: [],
      server: [],
    });
    assert.deepEqual(checkManifestFields('apps/v1', 'Deployment', 'not an object').mistyped, [{ path: [], expected: 'object', value: 'not an object' }]);
  });

  it('does not warn about ignored fields that hold nothing', () => {
    const report = checkManifestFields('apps/v1', 'Deployment', {
      spec: { template: { spec: { securityContext: {}, hostAliases: [], dnsConfig: null, containers: [{ name: 'a', env: [] }] } } },
    });
    assert.deepEqual(report.unmodelled, []);
  });
});

describe('server-populated fields', () => {
  it('lists status and the metadata the API server writes, without checking inside them', () => {
    const yaml = edit(
      HELM_DEPLOYMENT,
      '  name: web\n  namespace: shop\n',
      `  name: web
  namespace: shop
  uid: 0b6f1c0e-6c2a-4f57-9d1e-1a2b3c4d5e6f
  resourceVersion: "48213"
  generation: 4
  creationTimestamp: "2025-03-01T10:00:00Z"
  managedFields:
    - manager: helm
      operation: Update
      apiVersion: apps/v1
      fieldsType: FieldsV1
      fieldsV1: { "f:spec": { "f:replicas": {} } }
`,
    );
    const withStatus = `${edit(yaml, '    metadata:\n      labels:', '    metadata:\n      creationTimestamp: null\n      labels:')}
status:
  observedGeneration: 4
  replicas: 3
  availableReplicas: 3
  conditions:
    - { type: Available, status: "True", reason: MinimumReplicasAvailable }
`;
    const report = check(withStatus);
    assert.deepEqual(report.unknown, []);
    assert.deepEqual(report.mistyped, [], 'nothing below server fields is type-checked (generation: 4 is fine anyway)');
    assert.deepEqual(report.server, [
      'metadata.uid',
      'metadata.resourceVersion',
      'metadata.generation',
      'metadata.creationTimestamp',
      'metadata.managedFields',
      'status',
    ]);
  });
});

describe('each kind', () => {
  it('Pod as kubectl get -o yaml prints it', () => {
    const report = check(`
apiVersion: v1
kind: Pod
metadata:
  name: web-7d4b9c-x2k8q
  generateName: web-7d4b9c-
  namespace: shop
  labels: { app: web, pod-template-hash: 7d4b9c }
  ownerReferences:
    - { apiVersion: apps/v1, kind: ReplicaSet, name: web-7d4b9c, uid: 5e1d, controller: true, blockOwnerDeletion: true }
  uid: 9a8b
  resourceVersion: "1234"
spec:
  containers:
    - name: web
      image: nginx:1.27
      imagePullPolicy: IfNotPresent
      resources: { requests: { cpu: 100m } }
      terminationMessagePath: /dev/termination-log
      terminationMessagePolicy: File
      volumeMounts:
        - { name: kube-api-access-abcde, mountPath: /var/run/secrets/kubernetes.io/serviceaccount, readOnly: true }
  dnsPolicy: ClusterFirst
  enableServiceLinks: true
  nodeName: node-1
  preemptionPolicy: PreemptLowerPriority
  priority: 0
  restartPolicy: Always
  schedulerName: default-scheduler
  securityContext: {}
  serviceAccount: default
  serviceAccountName: default
  terminationGracePeriodSeconds: 30
  tolerations:
    - { effect: NoExecute, key: node.kubernetes.io/not-ready, operator: Exists, tolerationSeconds: 300 }
  volumes:
    - name: kube-api-access-abcde
      projected:
        defaultMode: 420
        sources:
          - serviceAccountToken: { expirationSeconds: 3607, path: token }
status:
  phase: Running
  podIP: 10.244.1.7
`);
    assert.deepEqual(report.unknown, []);
    assert.deepEqual(report.mistyped, []);
    assert.deepEqual(report.unmodelled, [
      'spec.containers[].terminationMessagePath',
      'spec.containers[].terminationMessagePolicy',
      'spec.containers[].volumeMounts',
      'spec.dnsPolicy',
      'spec.enableServiceLinks',
      'spec.preemptionPolicy',
      'spec.serviceAccount',
      'spec.serviceAccountName',
      'spec.volumes',
    ]);
    assert.deepEqual(report.server, ['metadata.uid', 'metadata.resourceVersion', 'status']);
  });

  it('Node', () => {
    const report = check(`
apiVersion: v1
kind: Node
metadata:
  name: node-1
  labels: { kubernetes.io/hostname: node-1, topology.kubernetes.io/zone: eu-west-1a }
  annotations: { node.alpha.kubernetes.io/ttl: "0" }
  creationTimestamp: "2025-03-01T09:00:00Z"
spec:
  podCIDR: 10.244.1.0/24
  podCIDRs: [10.244.1.0/24]
  providerID: aws:///eu-west-1a/i-0abc
  unschedulable: true
  taints:
    - { key: node.kubernetes.io/unschedulable, effect: NoSchedule, timeAdded: "2025-03-02T08:00:00Z" }
status:
  capacity: { cpu: "4", memory: 16Gi, pods: "110" }
  allocatable: { cpu: 3800m, memory: 15Gi, pods: "110" }
`);
    assert.deepEqual(report.unknown, []);
    assert.deepEqual(report.mistyped, []);
    assert.deepEqual(report.unmodelled, ['spec.podCIDRs', 'spec.providerID']);
    assert.deepEqual(report.server, ['metadata.creationTimestamp', 'status']);
    assert.deepEqual(checkManifestFields('v1', 'Node', { spec: { unschedulabel: true } }).unknown, [
      { path: ['spec', 'unschedulabel'], key: 'unschedulabel', suggestion: 'unschedulable' },
    ]);
  });

  it('Service of type LoadBalancer', () => {
    const report = check(`
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  type: LoadBalancer
  selector: { app: web }
  ports:
    - { name: http, port: 80, targetPort: http, protocol: TCP, nodePort: 31080, appProtocol: http }
  clusterIP: 10.96.12.34
  clusterIPs: [10.96.12.34]
  ipFamilies: [IPv4]
  ipFamilyPolicy: SingleStack
  internalTrafficPolicy: Cluster
  externalTrafficPolicy: Local
  healthCheckNodePort: 32000
  allocateLoadBalancerNodePorts: true
  loadBalancerClass: service.k8s.aws/nlb
  loadBalancerSourceRanges: [10.0.0.0/8]
  sessionAffinity: ClientIP
  sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } }
  trafficDistribution: PreferSameZone
  publishNotReadyAddresses: false
  externalIPs: [192.0.2.10]
status:
  loadBalancer: { ingress: [{ hostname: web.elb.example.com }] }
`);
    assert.deepEqual(report.unknown, []);
    assert.deepEqual(report.mistyped, []);
    assert.deepEqual(report.unmodelled, [
      'spec.ports[].nodePort',
      'spec.ports[].appProtocol',
      'spec.clusterIPs',
      'spec.ipFamilies',
      'spec.ipFamilyPolicy',
      'spec.internalTrafficPolicy',
      'spec.externalTrafficPolicy',
      'spec.healthCheckNodePort',
      'spec.allocateLoadBalancerNodePorts',
      'spec.loadBalancerClass',
      'spec.loadBalancerSourceRanges',
      'spec.sessionAffinity',
      'spec.sessionAffinityConfig',
      'spec.trafficDistribution',
      'spec.externalIPs',
    ]);
    assert.deepEqual(report.server, ['status']);
    assert.deepEqual(check(`{apiVersion: v1, kind: Service, spec: {type: ExternalName, externalName: db.example.com}}`).unmodelled, ['spec.externalName']);
  });

  it('PersistentVolumeClaim', () => {
    const report = check(`
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data, namespace: shop, finalizers: [kubernetes.io/pvc-protection] }
spec:
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: 10Gi } }
  storageClassName: gp3
  volumeMode: Filesystem
  volumeAttributesClassName: fast
  dataSourceRef: { apiGroup: snapshot.storage.k8s.io, kind: VolumeSnapshot, name: nightly }
status: { phase: Bound, capacity: { storage: 10Gi } }
`);
    assert.deepEqual(report, { unknown: [], mistyped: [], unmodelled: [], server: ['status'] });
    assert.deepEqual(checkManifestFields('v1', 'PersistentVolumeClaim', { spec: { storageClasName: 'gp3' } }).unknown, [
      { path: ['spec', 'storageClasName'], key: 'storageClasName', suggestion: 'storageClassName' },
    ]);
  });

  it('ReplicaSet', () => {
    const report = check(`
apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: web-7d4b9c, labels: { app: web } }
spec:
  replicas: 2
  minReadySeconds: 5
  selector: { matchExpressions: [{ key: app, operator: In, values: [web] }] }
  template:
    metadata: { labels: { app: web } }
    spec:
      initContainers:
        - { name: proxy, image: envoy:1.31, restartPolicy: Always, command: [envoy] }
      containers:
        - { name: web, image: nginx:1.27 }
`);
    assert.deepEqual(report, { unknown: [], mistyped: [], unmodelled: ['spec.template.spec.initContainers[].command'], server: [] });
  });

  it('StatefulSet: its own fields modelled, its pod template as a pod\u2019s, its claim templates\u2019 server fields ignored', () => {
    const report = check(`
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db }
spec:
  serviceName: db
  replicas: 3
  podManagementPolicy: Parallel
  minReadySeconds: 10
  revisionHistoryLimit: 3
  ordinals: { start: 1 }
  persistentVolumeClaimRetentionPolicy: { whenDeleted: Delete, whenScaled: Retain }
  updateStrategy:
    type: RollingUpdate
    rollingUpdate: { partition: 1, maxUnavailable: 1 }
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      containers:
        - name: postgres
          image: postgres:17
          env: [{ name: PGDATA, value: /data/pg }]
          volumeMounts: [{ name: data, mountPath: /data }]
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata: { name: data, creationTimestamp: "2025-03-01T10:00:00Z" }
      spec:
        accessModes: [ReadWriteOnce]
        resources: { requests: { storage: 20Gi } }
      status: { phase: Pending }
`);
    assert.deepEqual(report, {
      unknown: [],
      mistyped: [],
      unmodelled: ['spec.template.spec.containers[].env', 'spec.template.spec.containers[].volumeMounts'],
      server: ['spec.volumeClaimTemplates[].metadata.creationTimestamp', 'spec.volumeClaimTemplates[].status'],
    });
    assert.deepEqual(checkManifestFields('apps/v1', 'StatefulSet', { spec: { template: { spec: { contaners: [] } } } }).unknown, [
      { path: ['spec', 'template', 'spec', 'contaners'], key: 'contaners', suggestion: 'containers' },
    ]);
  });

  it('DaemonSet', () => {
    const report = check(`
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: node-exporter, namespace: monitoring }
spec:
  selector: { matchLabels: { app: node-exporter } }
  updateStrategy: { type: RollingUpdate, rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }
  template:
    metadata: { labels: { app: node-exporter } }
    spec:
      hostNetwork: true
      hostPID: true
      tolerations: [{ operator: Exists }]
      containers:
        - name: node-exporter
          image: quay.io/prometheus/node-exporter:v1.8.2
          args: [--path.rootfs=/host]
          volumeMounts: [{ name: root, mountPath: /host, readOnly: true, mountPropagation: HostToContainer }]
      volumes:
        - { name: root, hostPath: { path: /, type: Directory } }
`);
    assert.deepEqual(report, { unknown: [], mistyped: [], unmodelled: ['spec.template.spec.hostPID', 'spec.template.spec.containers[].args', 'spec.template.spec.containers[].volumeMounts', 'spec.template.spec.volumes'], server: [] });
  });

  it('Job with failure, success and replacement policies', () => {
    const report = check(`
apiVersion: batch/v1
kind: Job
metadata: { name: render }
spec:
  completionMode: Indexed
  completions: 10
  parallelism: 3
  backoffLimitPerIndex: 2
  maxFailedIndexes: 3
  podReplacementPolicy: Failed
  managedBy: kueue.x-k8s.io/multikueue
  suspend: true
  activeDeadlineSeconds: 3600
  ttlSecondsAfterFinished: 600
  manualSelector: true
  selector: { matchLabels: { job: render } }
  podFailurePolicy:
    rules:
      - action: FailIndex
        onExitCodes: { containerName: render, operator: In, values: [42] }
      - action: Ignore
        onPodConditions: [{ type: DisruptionTarget, status: "True" }]
  successPolicy:
    rules: [{ succeededIndexes: "0-4", succeededCount: 3 }]
  template:
    metadata: { labels: { job: render } }
    spec:
      restartPolicy: Never
      containers: [{ name: render, image: render:2 }]
`);
    assert.deepEqual(report, { unknown: [], mistyped: [], unmodelled: [], server: [] });
  });

  it('CronJob', () => {
    const report = check(`
apiVersion: batch/v1
kind: CronJob
metadata: { name: nightly }
spec:
  schedule: "0 3 * * *"
  timeZone: Europe/Paris
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: 300
  successfulJobsHistoryLimit: 3
  failedJobsHistoryLimit: 1
  suspend: false
  jobTemplate:
    metadata: { labels: { app: nightly } }
    spec:
      backoffLimit: 2
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{ name: backup, image: backup:1, args: [--all] }]
status: { lastScheduleTime: "2025-03-02T03:00:00Z" }
`);
    assert.deepEqual(report, { unknown: [], mistyped: [], unmodelled: ['spec.jobTemplate.spec.template.spec.containers[].args'], server: ['status'] });
  });

  it('HorizontalPodAutoscaler with all five metric types and scaling behavior', () => {
    const report = check(`
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 2
  maxReplicas: 20
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } }
    - type: ContainerResource
      containerResource: { name: memory, container: web, target: { type: AverageValue, averageValue: 400Mi } }
    - type: Pods
      pods: { metric: { name: requests_per_second }, target: { type: AverageValue, averageValue: "100" } }
    - type: Object
      object:
        describedObject: { apiVersion: networking.k8s.io/v1, kind: Ingress, name: web }
        metric: { name: requests_per_second }
        target: { type: Value, value: 2k }
    - type: External
      external:
        metric: { name: queue_depth, selector: { matchLabels: { queue: orders } } }
        target: { type: AverageValue, averageValue: "30" }
  behavior:
    scaleUp:
      stabilizationWindowSeconds: 0
      selectPolicy: Max
      policies: [{ type: Percent, value: 100, periodSeconds: 15 }, { type: Pods, value: 4, periodSeconds: 15 }]
      tolerance: "0.05"
    scaleDown:
      stabilizationWindowSeconds: 300
      policies: [{ type: Percent, value: 10, periodSeconds: 60 }]
`);
    assert.deepEqual(report, { unknown: [], mistyped: [], unmodelled: [], server: [] });
  });
});

/** The mismatches of `{f: value}` against a struct whose one field `f` has `schema`. */
function mistypedAt(schema: FieldSchema, value: unknown) {
  return checkFields(obj({ f: schema }), { f: value }).mistyped;
}

describe('leaf types', () => {
  /** Each leaf with values the Go JSON decoder takes into its type and values it refuses. */
  const LEAVES: readonly (readonly [string, LeafSchema, readonly unknown[], readonly unknown[]])[] = [
    ['string', str, ['', 'web:v1', '1', 'true'], [1, 1.5, 0, true, false, [], ['a'], {}]],
    ['int32', int32, [0, -1, 3, 2147483647, -2147483648], ['2', '', 1.5, true, false, 2147483648, -2147483649, Infinity, Number.NaN, [], {}]],
    ['int64', int64, [0, -1, 2147483648, 2 ** 53, -(2 ** 63)], ['2', 0.5, true, 2 ** 63, 1e20, Infinity, [], {}]],
    ['boolean', bool, [true, false], ['true', 'false', 'yes', 1, 0, [], {}]],
    ['number', float64, [0, 0.5, -3, 1e300], ['0.5', true, Infinity, Number.NaN, [], {}]],
    // The text of a quantity is validation's to judge: any string is the right type.
    ['quantity', quantity, ['500m', '1Gi', '2', 'not-a-quantity', 2, 0.5], [true, false, Infinity, [], ['1'], {}]],
    ['intOrString', intOrString, [0, 1, -1, 2147483647, '25%', 'http', ''], [1.5, 0.1, true, 2147483648, [], {}]],
  ];

  for (const [name, leaf, good, bad] of LEAVES) {
    it(`${name} accepts ${good.map((v) => JSON.stringify(v)).join(', ')} and null`, () => {
      for (const value of [...good, null]) assert.deepEqual(mistypedAt(leaf, value), [], `${name} should accept ${String(value)}`);
    });

    it(`${name} refuses ${bad.map((v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : JSON.stringify(v))).join(', ')}`, () => {
      for (const value of bad) assert.deepEqual(mistypedAt(leaf, value), [{ path: ['f'], expected: name, value }], `${name} should refuse ${String(value)}`);
    });
  }

  it('a whole number written with a fraction (2.0, which YAML hands over as 2) is an integer', () => {
    assert.deepEqual(mistypedAt(int32, parse('2.0')), []);
    assert.deepEqual(mistypedAt(int32, parse('2.5')), [{ path: ['f'], expected: 'int32', value: 2.5 }]);
  });
});

describe('shapes', () => {
  it('a list: anything but a list (or null) is refused; items are checked at their index', () => {
    assert.deepEqual(mistypedAt(arr(str), []), []);
    assert.deepEqual(mistypedAt(arr(str), ['a', 'b']), []);
    assert.deepEqual(mistypedAt(arr(str), null), []);
    for (const value of [{}, { a: 'b' }, 'a', 1, true]) assert.deepEqual(mistypedAt(arr(str), value), [{ path: ['f'], expected: 'array', value }]);
    assert.deepEqual(mistypedAt(arr(str), ['sleep', 1, 'x', false]), [
      { path: ['f', 1], expected: 'string', value: 1 },
      { path: ['f', 3], expected: 'string', value: false },
    ]);
    assert.deepEqual(mistypedAt(arr(int32), [1, '2']), [{ path: ['f', 1], expected: 'int32', value: '2' }]);
  });

  it('a null list item is accepted among leaves but refused among structs, where it would be an empty struct', () => {
    assert.deepEqual(mistypedAt(arr(str), ['a', null]), []);
    assert.deepEqual(mistypedAt(arr(obj({ name: str })), [{ name: 'a' }, null]), [{ path: ['f', 1], expected: 'object', value: null }]);
  });

  it('a struct: anything but a mapping (or null) is refused, and the walk does not look inside it', () => {
    const struct = obj({ name: str });
    assert.deepEqual(mistypedAt(struct, {}), []);
    assert.deepEqual(mistypedAt(struct, null), []);
    for (const value of [[], [{ name: 'a' }], 'a', 0, false]) assert.deepEqual(mistypedAt(struct, value), [{ path: ['f'], expected: 'object', value }]);
    const report = checkFields(obj({ f: struct }), { f: [{ nme: 1 }] });
    assert.deepEqual([report.unknown, report.mistyped.length], [[], 1]);
  });

  it('a string map (labels): keys are free, values must be strings or null', () => {
    assert.deepEqual(mistypedAt(stringMap, {}), []);
    assert.deepEqual(mistypedAt(stringMap, { app: 'web', 'app.kubernetes.io/version': '1.0', empty: '', gone: null }), []);
    for (const value of [['a'], [], 'app=web', 5, true]) assert.deepEqual(mistypedAt(stringMap, value), [{ path: ['f'], expected: 'map[string]string', value }]);
    assert.deepEqual(mistypedAt(stringMap, { app: 'web', version: 1.5, enabled: true, nested: { a: 'b' } }), [
      { path: ['f', 'version'], expected: 'string', value: 1.5 },
      { path: ['f', 'enabled'], expected: 'string', value: true },
      { path: ['f', 'nested'], expected: 'string', value: { a: 'b' } },
    ]);
  });

  it('a resource list (requests, limits): values are quantities, strings or numbers', () => {
    assert.deepEqual(mistypedAt(resourceList, { cpu: '500m', memory: '256Mi', 'nvidia.com/gpu': 1, ephemeral: null }), []);
    for (const value of [5, '500m', ['cpu']]) assert.deepEqual(mistypedAt(resourceList, value), [{ path: ['f'], expected: 'map[string]quantity', value }]);
    assert.deepEqual(mistypedAt(resourceList, { cpu: true, memory: { size: 1 } }), [
      { path: ['f', 'cpu'], expected: 'quantity', value: true },
      { path: ['f', 'memory'], expected: 'quantity', value: { size: 1 } },
    ]);
  });

  it('opaque takes anything; server fields are not type-checked, unmodelled ones are', () => {
    const schema = obj({ any: opaque, status: server(obj({ replicas: int32 })), env: unmodelled(arr(obj({ value: str }))) });
    const report = checkFields(schema, { any: { x: [1, true] }, status: { replicas: 'three', extra: 1 }, env: [{ value: 8080 }] });
    assert.deepEqual(report.mistyped, [{ path: ['env', 0, 'value'], expected: 'string', value: 8080 }]);
    assert.deepEqual(report.unknown, []);
  });
});

describe('the types of real fields', () => {
  /** A Deployment with one container, as parsed YAML, with `value` set at `path`. */
  function deploymentWith(path: readonly (string | number)[], value: unknown): unknown {
    const manifest = parse(HELM_DEPLOYMENT) as Record<string, unknown>;
    let node = manifest as Record<string | number, unknown>;
    path.slice(0, -1).forEach((segment, i) => {
      node[segment] ??= typeof path[i + 1] === 'number' ? [] : {};
      node = node[segment] as Record<string | number, unknown>;
    });
    node[path[path.length - 1]] = value;
    return manifest;
  }

  const C = ['spec', 'template', 'spec', 'containers', 0];
  const POD = ['spec', 'template', 'spec'];
  /** path, a value of the right type, a value of the wrong one, the type it names. */
  const FIELDS: readonly (readonly [readonly (string | number)[], unknown, unknown, string])[] = [
    [['spec', 'replicas'], 2, '2', 'int32'],
    [['spec', 'revisionHistoryLimit'], 10, '10', 'int32'],
    [['spec', 'paused'], true, 'yes', 'boolean'],
    [['spec', 'strategy', 'rollingUpdate', 'maxSurge'], '25%', 1.5, 'intOrString'],
    [['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'], 1, true, 'intOrString'],
    [['spec', 'selector', 'matchExpressions'], [{ key: 'app', operator: 'In', values: ['web'] }], { key: 'app' }, 'array'],
    [['spec', 'selector', 'matchExpressions', 0, 'values', 0], 'web', 1, 'string'],
    [['metadata', 'labels', 'app'], 'web', 1, 'string'],
    [['metadata', 'annotations'], { a: 'b' }, ['a'], 'map[string]string'],
    [[...POD, 'terminationGracePeriodSeconds'], 2 ** 40, 0.5, 'int64'],
    [[...POD, 'tolerations', 0, 'tolerationSeconds'], 300, '300', 'int64'],
    [[...POD, 'nodeSelector', 'disk'], 'ssd', true, 'string'],
    [[...POD, 'hostNetwork'], false, 'false', 'boolean'],
    [[...POD, 'containers'], [], {}, 'array'],
    [[...C, 'image'], 'web:1', 1, 'string'],
    [[...C, 'command'], ['sleep', '1'], 'sleep 1', 'array'],
    [[...C, 'command', 1], '1', 1, 'string'],
    [[...C, 'ports', 0, 'containerPort'], 8080, '8080', 'int32'],
    [[...C, 'livenessProbe', 'httpGet', 'port'], 'http', 80.5, 'intOrString'],
    [[...C, 'livenessProbe', 'periodSeconds'], 5, '5s', 'int32'],
    [[...C, 'resources', 'requests'], { cpu: 1 }, 5, 'map[string]quantity'],
    [[...C, 'resources', 'limits', 'memory'], '1Gi', false, 'quantity'],
    [[...C, 'lifecycle', 'preStop', 'sleep', 'seconds'], 5, '5', 'int64'],
  ];

  for (const [path, good, bad, expected] of FIELDS) {
    it(`${path.join('.')} is ${expected}`, () => {
      assert.deepEqual(checkManifestFields('apps/v1', 'Deployment', deploymentWith(path, good)).mistyped, []);
      assert.deepEqual(checkManifestFields('apps/v1', 'Deployment', deploymentWith(path, null)).mistyped, [], 'null is accepted as absent');
      assert.deepEqual(checkManifestFields('apps/v1', 'Deployment', deploymentWith(path, bad)).mistyped, [{ path, expected, value: bad }]);
    });
  }

  it('Service ports: port is an int32, targetPort an int or a name', () => {
    const service = (port: unknown, targetPort: unknown) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port, targetPort }] } });
    assert.deepEqual(checkManifestFields('v1', 'Service', service(80, 'http')).mistyped, []);
    assert.deepEqual(checkManifestFields('v1', 'Service', service(80, 8080)).mistyped, []);
    assert.deepEqual(checkManifestFields('v1', 'Service', service('80', 8080.5)).mistyped, [
      { path: ['spec', 'ports', 0, 'port'], expected: 'int32', value: '80' },
      { path: ['spec', 'ports', 0, 'targetPort'], expected: 'intOrString', value: 8080.5 },
    ]);
  });
});

describe('hasSchema', () => {
  it('knows exactly the simulated apiVersion and kind pairs', () => {
    for (const [apiVersion, kind] of [
      ['v1', 'Pod'], ['v1', 'Node'], ['v1', 'Service'], ['v1', 'PersistentVolumeClaim'],
      ['apps/v1', 'Deployment'], ['apps/v1', 'ReplicaSet'], ['apps/v1', 'StatefulSet'], ['apps/v1', 'DaemonSet'],
      ['batch/v1', 'Job'], ['batch/v1', 'CronJob'], ['autoscaling/v2', 'HorizontalPodAutoscaler'],
    ]) {
      assert.equal(hasSchema(apiVersion, kind), true, `${apiVersion} ${kind}`);
    }
    for (const [apiVersion, kind] of [
      ['v1', 'ConfigMap'], ['apps/v1beta1', 'Deployment'], ['autoscaling/v1', 'HorizontalPodAutoscaler'], ['v1', 'Deployment'],
    ]) {
      assert.equal(hasSchema(apiVersion, kind), false, `${apiVersion} ${kind}`);
    }
    assert.throws(() => checkManifestFields('v1', 'ConfigMap', {}), /no field schema for v1 ConfigMap/);
  });
});
