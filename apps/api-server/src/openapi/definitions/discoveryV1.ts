/**
 * discovery/v1 (k8s.io/api/discovery/v1): EndpointSlice.
 *
 * Hand-written, in our own words; see catalogue.ts for what belongs here and how to extend it.
 */
import { AddressTypes, Protocols } from '@kubeling/api';
import { definitions } from './catalogue';
import { objectHeader } from './metaV1';

export const discoveryV1 = definitions('discovery', {
  EndpointSlice: {
    description:
      "Part of the endpoints of a service: addresses of one type with the ports they share. A service's endpoints are spread over as many slices as needed.",
    required: ['addressType', 'endpoints'],
    fields: {
      ...objectHeader,
      addressType: {
        description: 'The type of every address in the slice. Cannot be changed.',
        enum: AddressTypes,
      },
      endpoints: {
        type: '[]Endpoint',
        description: 'The endpoints, at most 1000.',
      },
      ports: {
        type: '[]EndpointPort',
        description:
          'The ports every endpoint of the slice exposes, at most 100. Empty means no port is singled out: all of them.',
      },
    },
  },

  Endpoint: {
    description: 'One backend of a service, usually a pod.',
    required: ['addresses'],
    fields: {
      addresses:
        "The endpoint's addresses, of the slice's addressType: 1 to 100, interchangeable, and consumers normally use the first.",
      conditions: {
        type: 'EndpointConditions',
        description: 'Whether the endpoint is ready, serving and terminating.',
      },
      hostname: "The endpoint's hostname, for DNS.",
      targetRef: {
        type: 'core.ObjectReference',
        description: 'The object behind the endpoint, usually a pod.',
      },
      deprecatedTopology: 'Deprecated topology labels, superseded by nodeName and zone.',
      nodeName: 'The node the endpoint is on.',
      zone: 'The zone the endpoint is in.',
      hints: {
        type: 'EndpointHints',
        description: 'Hints for routing traffic by topology.',
      },
    },
  },

  EndpointConditions: {
    description: 'The state of an endpoint. Unset fields are unknown and treated as true.',
    fields: {
      ready:
        'Whether the endpoint should get traffic: usually the same as serving, but false while the endpoint is terminating.',
      serving: 'Whether the endpoint can serve traffic, terminating or not.',
      terminating: 'Whether the endpoint is shutting down.',
    },
  },

  EndpointHints: {
    description: 'Hints for routing traffic to an endpoint by topology.',
    fields: {
      forZones: {
        type: '[]ForZone',
        description: 'The zones whose clients should be sent to this endpoint.',
      },
    },
  },

  ForZone: {
    description: 'A zone, in topology hints.',
    fields: { name: "The zone's name." },
  },

  EndpointPort: {
    description: 'A port of the endpoints of a slice.',
    fields: {
      name: "The port's name, the same as the service port's; empty for an unnamed port.",
      protocol: {
        description: 'The transport protocol: `TCP` (the default), `UDP` or `SCTP`.',
        enum: Protocols,
      },
      port: 'The port number; unset means every port.',
      appProtocol:
        'The application protocol the port speaks, such as `http`, `kubernetes.io/h2c` or a domain-prefixed name of your own.',
    },
  },
});
