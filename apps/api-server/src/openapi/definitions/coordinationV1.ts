/**
 * coordination/v1 (k8s.io/api/coordination/v1): Lease.
 *
 * Hand-written, in our own words; see catalogue.ts for what belongs here and how to extend it.
 */
import { LeaseStrategies } from '@kubeling/api';
import { definitions } from './catalogue';
import { objectHeader } from './metaV1';

export const coordinationV1 = definitions('coordination', {
  Lease: {
    description:
      'A lock held by one holder at a time and renewed while held: used for leader election and for node heartbeats.',
    fields: {
      ...objectHeader,
      spec: { type: 'LeaseSpec', description: 'Who holds the lease, and since when.' },
    },
  },

  LeaseSpec: {
    description: 'The holder and timing of a lease.',
    fields: {
      holderIdentity: 'Who holds the lease.',
      leaseDurationSeconds:
        "How many seconds after the last renewal the lease stays the holder's; after that, others may take it.",
      acquireTime: {
        type: 'meta.MicroTime',
        description: 'When the current holder took the lease.',
      },
      renewTime: {
        type: 'meta.MicroTime',
        description: 'When the holder last renewed the lease.',
      },
      leaseTransitions: 'How many times the lease has changed hands.',
      strategy: {
        description:
          'With coordinated leader election: how the holder is chosen among the candidates.',
        enum: LeaseStrategies,
      },
      preferredHolder:
        'With coordinated leader election: the candidate the holder should hand the lease to.',
    },
  },
});
