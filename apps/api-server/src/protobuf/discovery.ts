/**
 * discovery.k8s.io/v1 messages: EndpointSlice (field numbers of k8s.io/api discovery/v1 `generated.proto`).
 */
import type { MessageDefs } from './fields';
import { bool, int32, list, map, msg, string } from './fields';

export const discoveryMessages: MessageDefs = {
  'discovery.Endpoint': {
    addresses: list(1, 'string'),
    conditions: msg(2, 'discovery.EndpointConditions'),
    hostname: string(3, 'ptr'),
    targetRef: msg(4, 'core.ObjectReference', 'ptr'),
    deprecatedTopology: map(5, 'string'),
    nodeName: string(6, 'ptr'),
    zone: string(7, 'ptr'),
    hints: msg(8, 'discovery.EndpointHints', 'ptr'),
  },
  'discovery.EndpointConditions': {
    ready: bool(1, 'ptr'),
    serving: bool(2, 'ptr'),
    terminating: bool(3, 'ptr'),
  },
  'discovery.EndpointHints': {
    forZones: list(1, 'discovery.ForZone'),
  },
  'discovery.EndpointPort': {
    name: string(1, 'ptr'),
    protocol: string(2, 'ptr'),
    port: int32(3, 'ptr'),
    appProtocol: string(4, 'ptr'),
  },
  'discovery.EndpointSlice': {
    metadata: msg(1, 'meta.ObjectMeta'),
    addressType: string(4, 'req'),
    endpoints: list(2, 'discovery.Endpoint'),
    ports: list(3, 'discovery.EndpointPort'),
  },
  'discovery.ForZone': {
    name: string(1, 'req'),
  },
};
