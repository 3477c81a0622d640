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
import { arr, bool, int32, int64, intOrString, obj, opaque, resourceList, str, unmodelled, type ObjectSchema } from './builders.js';

const execAction = obj({ command: arr(str) });

const httpGetAction = obj({
  path: str,
  port: intOrString,
  host: str,
  scheme: str,
  httpHeaders: arr(obj({ name: str, value: str })),
});

const tcpSocketAction = obj({ port: intOrString, host: str });

const probe = obj({
  exec: execAction,
  httpGet: httpGetAction,
  tcpSocket: tcpSocketAction,
  grpc: obj({ port: int32, service: str }),
  initialDelaySeconds: int32,
  timeoutSeconds: int32,
  periodSeconds: int32,
  successThreshold: int32,
  failureThreshold: int32,
  terminationGracePeriodSeconds: int64,
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
  sleep: obj({ seconds: int64 }),
});

const lifecycle = obj({
  postStart: unmodelled(lifecycleHandler),
  preStop: lifecycleHandler,
  stopSignal: unmodelled(str),
});

/** core/v1 ResourceRequirements: `requests` and `limits` are resource lists (free-form keys). */
export const resourceRequirements = obj({
  limits: resourceList,
  requests: resourceList,
  claims: unmodelled(arr(obj({ name: str, request: str }))),
});

const containerPort = obj({
  name: str,
  hostPort: int32,
  containerPort: int32,
  protocol: str,
  hostIP: unmodelled(str),
});

/** Each env source is an object reference; below its own key it is not checked. */
const envVar = obj({
  name: str,
  value: str,
  valueFrom: obj({
    fieldRef: opaque,
    resourceFieldRef: opaque,
    configMapKeyRef: opaque,
    secretKeyRef: opaque,
    fileKeyRef: opaque,
  }),
});

const envFromSource = obj({
  prefix: str,
  configMapRef: opaque,
  secretRef: opaque,
});

const volumeMount = obj({
  name: str,
  readOnly: bool,
  recursiveReadOnly: str,
  mountPath: str,
  subPath: str,
  mountPropagation: str,
  subPathExpr: str,
});

const containerRestartRule = obj({
  action: str,
  exitCodes: obj({ operator: str, values: arr(int32) }),
});

/** Shared by the container and the pod security context. */
export const seLinuxOptions = obj({ user: str, role: str, type: str, level: str });

/** Shared by the container and the pod security context. */
export const windowsSecurityContextOptions = obj({
  gmsaCredentialSpecName: str,
  gmsaCredentialSpec: str,
  runAsUserName: str,
  hostProcess: bool,
});

/** SeccompProfile and AppArmorProfile have the same two fields. */
export const securityProfile = obj({ type: str, localhostProfile: str });

const securityContext = obj({
  capabilities: obj({ add: arr(str), drop: arr(str) }),
  privileged: bool,
  seLinuxOptions,
  windowsOptions: windowsSecurityContextOptions,
  runAsUser: int64,
  runAsGroup: int64,
  runAsNonRoot: bool,
  readOnlyRootFilesystem: bool,
  allowPrivilegeEscalation: bool,
  procMount: str,
  seccompProfile: securityProfile,
  appArmorProfile: securityProfile,
});

/** core/v1 Container, used for `containers` and `initContainers`. */
export const container: ObjectSchema = obj({
  name: str,
  image: str,
  command: unmodelled(arr(str)),
  args: unmodelled(arr(str)),
  workingDir: unmodelled(str),
  ports: arr(containerPort),
  envFrom: unmodelled(arr(envFromSource)),
  env: unmodelled(arr(envVar)),
  resources: resourceRequirements,
  resizePolicy: unmodelled(arr(obj({ resourceName: str, restartPolicy: str }))),
  restartPolicy: str,
  restartPolicyRules: unmodelled(arr(containerRestartRule)),
  volumeMounts: unmodelled(arr(volumeMount)),
  volumeDevices: unmodelled(arr(obj({ name: str, devicePath: str }))),
  livenessProbe: probe,
  readinessProbe: probe,
  startupProbe: probe,
  lifecycle,
  terminationMessagePath: unmodelled(str),
  terminationMessagePolicy: unmodelled(str),
  imagePullPolicy: str,
  securityContext: unmodelled(securityContext),
  stdin: unmodelled(bool),
  stdinOnce: unmodelled(bool),
  tty: unmodelled(bool),
});

/**
 * core/v1 EphemeralContainer: every Container field plus the target. The pod marks the whole
 * list unmodelled, so the container's own marks do not matter here.
 */
export const ephemeralContainer = obj({ ...container.fields, targetContainerName: str });
