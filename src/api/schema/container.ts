/**
 * Field schema of core/v1 Container and the types it reaches: ports, resources, probes,
 * lifecycle hooks, env, volume mounts and the container security context. Follows
 * k8s.io/api/core/v1/types.go (Container, ContainerPort, ResourceRequirements, Probe,
 * ProbeHandler, LifecycleHandler, Lifecycle, EnvVar, EnvFromSource, VolumeMount, VolumeDevice,
 * ContainerResizePolicy, ContainerRestartRule, SecurityContext).
 *
 * Modelled: name, image, imagePullPolicy, ports, resources requests/limits, the three probes
 * (any handler counts as "a probe exists"), lifecycle.preStop.sleep and restartPolicy (sidecar
 * init containers). Everything else a container can say is kept but ignored.
 */
import { arr, map, obj, opaque, scalar, unmodelled, type ObjectSchema } from './builders.js';

const execAction = obj({ command: arr(scalar) });

const httpGetAction = obj({
  path: scalar,
  port: scalar,
  host: scalar,
  scheme: scalar,
  httpHeaders: arr(obj({ name: scalar, value: scalar })),
});

const tcpSocketAction = obj({ port: scalar, host: scalar });

const probe = obj({
  exec: execAction,
  httpGet: httpGetAction,
  tcpSocket: tcpSocketAction,
  grpc: obj({ port: scalar, service: scalar }),
  initialDelaySeconds: scalar,
  timeoutSeconds: scalar,
  periodSeconds: scalar,
  successThreshold: scalar,
  failureThreshold: scalar,
  terminationGracePeriodSeconds: scalar,
});

/**
 * core/v1 LifecycleHandler. Of a preStop hook only `sleep` is simulated (it delays termination);
 * the other handlers run nothing. postStart is ignored as a whole, so these marks matter only
 * under preStop.
 */
const lifecycleHandler = obj({
  exec: unmodelled(execAction),
  httpGet: unmodelled(httpGetAction),
  tcpSocket: unmodelled(tcpSocketAction),
  sleep: obj({ seconds: scalar }),
});

const lifecycle = obj({
  postStart: unmodelled(lifecycleHandler),
  preStop: lifecycleHandler,
  stopSignal: unmodelled(scalar),
});

/** core/v1 ResourceRequirements: `requests` and `limits` are resource lists (free-form keys). */
export const resourceRequirements = obj({
  limits: map,
  requests: map,
  claims: unmodelled(arr(obj({ name: scalar, request: scalar }))),
});

const containerPort = obj({
  name: scalar,
  hostPort: scalar,
  containerPort: scalar,
  protocol: scalar,
  hostIP: unmodelled(scalar),
});

/** Each env source is an object reference; below its own key it is not checked. */
const envVar = obj({
  name: scalar,
  value: scalar,
  valueFrom: obj({
    fieldRef: opaque,
    resourceFieldRef: opaque,
    configMapKeyRef: opaque,
    secretKeyRef: opaque,
    fileKeyRef: opaque,
  }),
});

const envFromSource = obj({
  prefix: scalar,
  configMapRef: opaque,
  secretRef: opaque,
});

const volumeMount = obj({
  name: scalar,
  readOnly: scalar,
  recursiveReadOnly: scalar,
  mountPath: scalar,
  subPath: scalar,
  mountPropagation: scalar,
  subPathExpr: scalar,
});

const containerRestartRule = obj({
  action: scalar,
  exitCodes: obj({ operator: scalar, values: arr(scalar) }),
});

/** Shared by the container and the pod security context. */
export const seLinuxOptions = obj({ user: scalar, role: scalar, type: scalar, level: scalar });

/** Shared by the container and the pod security context. */
export const windowsSecurityContextOptions = obj({
  gmsaCredentialSpecName: scalar,
  gmsaCredentialSpec: scalar,
  runAsUserName: scalar,
  hostProcess: scalar,
});

/** SeccompProfile and AppArmorProfile have the same two fields. */
export const securityProfile = obj({ type: scalar, localhostProfile: scalar });

const securityContext = obj({
  capabilities: obj({ add: arr(scalar), drop: arr(scalar) }),
  privileged: scalar,
  seLinuxOptions,
  windowsOptions: windowsSecurityContextOptions,
  runAsUser: scalar,
  runAsGroup: scalar,
  runAsNonRoot: scalar,
  readOnlyRootFilesystem: scalar,
  allowPrivilegeEscalation: scalar,
  procMount: scalar,
  seccompProfile: securityProfile,
  appArmorProfile: securityProfile,
});

/** core/v1 Container, used for `containers` and `initContainers`. */
export const container: ObjectSchema = obj({
  name: scalar,
  image: scalar,
  command: unmodelled(arr(scalar)),
  args: unmodelled(arr(scalar)),
  workingDir: unmodelled(scalar),
  ports: arr(containerPort),
  envFrom: unmodelled(arr(envFromSource)),
  env: unmodelled(arr(envVar)),
  resources: resourceRequirements,
  resizePolicy: unmodelled(arr(obj({ resourceName: scalar, restartPolicy: scalar }))),
  restartPolicy: scalar,
  restartPolicyRules: unmodelled(arr(containerRestartRule)),
  volumeMounts: unmodelled(arr(volumeMount)),
  volumeDevices: unmodelled(arr(obj({ name: scalar, devicePath: scalar }))),
  livenessProbe: probe,
  readinessProbe: probe,
  startupProbe: probe,
  lifecycle,
  terminationMessagePath: unmodelled(scalar),
  terminationMessagePolicy: unmodelled(scalar),
  imagePullPolicy: scalar,
  securityContext: unmodelled(securityContext),
  stdin: unmodelled(scalar),
  stdinOnce: unmodelled(scalar),
  tty: unmodelled(scalar),
});

/**
 * core/v1 EphemeralContainer: every Container field plus the target. The pod marks the whole
 * list unmodelled, so the container's own marks do not matter here.
 */
export const ephemeralContainer = obj({ ...container.fields, targetContainerName: scalar });
