/**
 * @kubeling/client — what every kubeling component is built on, as client-go is for Kubernetes
 * components: a typed client over NATS (components) or HTTP (tools), shared informers with
 * indexed caches, a rate-limited work queue, leader election on Leases and an event recorder.
 * See docs/client.md for a walk-through.
 *
 *   import { podKind } from '@kubeling/api';
 *   import { Client, NatsTransport, SharedInformerFactory, WorkQueue, runWorkers, objectKey } from '@kubeling/client';
 *
 *   const client = new Client({ transport: await NatsTransport.connect({ cluster: 'kubeling' }) });
 *   const factory = new SharedInformerFactory({ client });
 *   const pods = factory.informerFor(podKind);
 *   const queue = new WorkQueue<string>();
 *   pods.addEventHandler({ onAdd: (p) => queue.add(objectKey(p)), onUpdate: (_, p) => queue.add(objectKey(p)) });
 *   factory.start();
 *   await factory.waitForCacheSync();
 *   await runWorkers({ queue, workers: 2, sync: async (key) => { ... pods.store.get(key) ... } });
 */
export type { TimerClock, CancelTimer } from './clock';
export { realTimerClock, sleep, jitter } from './clock';
export { FakeClock, settle } from './testing/fakeClock';
export { FakeApiServer, mergePatch } from './testing/fakeApiServer';
export type { FakeApiServerOptions } from './testing/fakeApiServer';
export { Backoff } from './backoff';
export type { BackoffOptions } from './backoff';

export type {
  Transport,
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
export { HttpTransport, restPath, parseWarnings } from './transport/http';
export type { HttpTransportOptions } from './transport/http';
export { NatsTransport } from './transport/nats';
export type { NatsTransportOptions } from './transport/nats';
export { errorFromResponse, isStatus } from './transport/status';

export { Client, ResourceClient } from './client';
export type {
  ClientOptions,
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
  controllerOf,
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

export { WorkQueue, runWorkers } from './workqueue/queue';
export type { GetResult, WorkQueueOptions, RunWorkersOptions } from './workqueue/queue';
export {
  ItemExponentialFailureRateLimiter,
  BucketRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
} from './workqueue/rateLimiter';
export type { RateLimiter, ExponentialOptions, BucketOptions } from './workqueue/rateLimiter';

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
