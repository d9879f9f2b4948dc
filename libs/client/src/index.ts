/**
 * @kubeling/client — what every kubeling component is built on, as client-go is for Kubernetes
 * components: a typed client over NATS (components) or HTTP (tools), shared informers with
 * indexed caches, a rate-limited work queue, the controller toolkit (a reconcile loop,
 * expectations, owner and filtering handlers, pod helpers), leader election on Leases and an
 * event recorder. Test fakes are in `@kubeling/client/testing`. See docs/client.md.
 *
 *   import { podKind } from '@kubeling/api';
 *   import { Client, Controller, NatsTransport, SharedInformerFactory, enqueueObject } from '@kubeling/client';
 *
 *   const client = new Client({ transport: await NatsTransport.connect({ cluster: 'kubeling' }) });
 *   const factory = new SharedInformerFactory({ client });
 *   const pods = factory.informerFor(podKind);
 *   const controller = new Controller({
 *     name: 'my-controller',
 *     workers: 2,
 *     reconcile: async (key) => { const pod = pods.store.get(key); ... }, // may return { requeueAfter: ms }
 *   });
 *   controller.watch(pods, enqueueObject(controller.enqueueKey));
 *   factory.start();
 *   await controller.run(signal); // waits for the caches, then reconciles until signal aborts
 */
export { Backoff } from './backoff';
export type { BackoffOptions } from './backoff';

export type {
  Transport,
  AttemptOptions,
  ApiRequest,
  ApiResponse,
  WatchRequest,
  WatchStream,
  WatchEvent,
  WatchEventType,
  Verb,
  PatchType,
  Query,
} from './transport/types';
export { HttpTransport, restPath, parseWarnings, parseRetryAfter } from './transport/http';
export type { HttpTransportOptions } from './transport/http';
export { NatsTransport } from './transport/nats';
export type { NatsTransportOptions } from './transport/nats';
export {
  errorFromResponse,
  isStatus,
  markTransportFailure,
  transportFailureOf,
} from './transport/status';
export type { TransportFailure } from './transport/status';
export { TokenBucket } from './flowcontrol/tokenBucket';
export type { TokenBucketOptions, WaitOptions } from './flowcontrol/tokenBucket';
export { safeToResend, retryDelayMs, DEFAULT_MAX_RETRIES } from './retry';

export { Client, ResourceClient, DEFAULT_TIMEOUT_MS, DEFAULT_QPS, DEFAULT_BURST } from './client';
export type {
  ClientOptions,
  CallOptions,
  ObjectList,
  Scale,
  Binding,
  GetOptions,
  ListOptions,
  WatchOptions,
  WriteOptions,
  DeleteOptions,
  Watch,
} from './client';
export { resourceInfo, objectKey, splitKey } from './resources';
export type { ResourceInfo, ResourceName } from './resources';
export { connectFromFlags, clientFlags } from './connect';
export type { ConnectOptions, ClientFlagValues } from './connect';
export { kubeconfigHttpOptions } from './kubeconfig';
export type { KubeconfigOptions } from './kubeconfig';
export { runComponent, componentFlags, LeadershipLost } from './component';
export type { ComponentContext, ComponentOptions, ComponentFlags, FlagSpec } from './component';
export { RestClientMetrics, meteredTransport } from './metrics';
export type { ClientMetricsOptions } from './metrics';

export {
  Indexer,
  NamespaceIndex,
  NodeNameIndex,
  ControllerUidIndex,
  indexByNamespace,
  indexByNodeName,
  indexByControllerUid,
} from './informer/indexer';
export type { IndexFunc, Indexers } from './informer/indexer';
export { isTombstone, lastKnownState } from './informer/listener';
export type {
  DeletedFinalStateUnknown,
  EventHandler,
  HandlerRegistration,
} from './informer/listener';
export { SharedInformer } from './informer/sharedInformer';
export type { SharedInformerOptions, AddHandlerOptions } from './informer/sharedInformer';
export { SharedInformerFactory } from './informer/factory';
export type { SharedInformerFactoryOptions, InformerSelection } from './informer/factory';
export { dropManagedFields } from './informer/transform';

export { WorkQueue, runWorkers } from './workqueue/queue';
export type { GetResult, WorkQueueOptions, RunWorkersOptions } from './workqueue/queue';
export {
  ItemExponentialFailureRateLimiter,
  BucketRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
} from './workqueue/rateLimiter';
export type { RateLimiter, ExponentialOptions, BucketOptions } from './workqueue/rateLimiter';

export { Controller } from './controller/controller';
export type {
  ControllerOptions,
  Reconcile,
  ReconcileResult,
  CacheSyncWaiter,
  WatchableInformer,
} from './controller/controller';
export {
  ControllerExpectations,
  UIDTrackingControllerExpectations,
  ExpectationsTimeoutMs,
} from './controller/expectations';
export type { ControlleeExpectations, ExpectationsOptions } from './controller/expectations';
export { enqueueObject, enqueueOwner, filteringHandler } from './controller/handlers';
export type { EnqueueOwnerOptions } from './controller/handlers';
export {
  getControllerOf,
  newControllerRef,
  refersToKind,
  groupOfApiVersion,
} from './controller/controllerRef';
export {
  podKey,
  getPodReadyCondition,
  isPodReady,
  isPodAvailable,
  isPodTerminal,
  isPodActive,
} from './pod/podutil';

export { LeaderElector, JitterFactor, defaultIdentity } from './leaderelection/leaderElector';
export type { LeaderElectionOptions, LeaderCallbacks } from './leaderelection/leaderElector';
export {
  leaderElectionFlags,
  leaderElectionFromFlags,
  leaderElectionOptionsOf,
  parseDuration,
} from './leaderelection/flags';
export type { LeaderElectionFlags, LeaderElectionFlagValues } from './leaderelection/flags';

export { EventBroadcaster, referenceTo, goSprintf } from './record/eventRecorder';
export type {
  EventRecorder,
  EventType,
  EventBroadcasterOptions,
  RecorderOptions,
} from './record/eventRecorder';
export { EventCorrelator, eventKey } from './record/correlator';
export type { CorrelationResult, CorrelatorOptions } from './record/correlator';
