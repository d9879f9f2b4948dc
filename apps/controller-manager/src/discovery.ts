/**
 * Which resources the API serves, for the controllers that act on "every resource" (the garbage
 * collector's graph, the namespace controller's content deletion), as upstream's discovery
 * client gives them. Kubeling serves exactly the kinds of its scheme (there are no
 * CustomResourceDefinitions or aggregated APIs yet), and discovery documents are only served
 * over HTTP, so the client's scheme is the answer; the seam stays a function so a discovery
 * failure (upstream's NamespaceDeletionDiscoveryFailure) can be tested and a real discovery
 * call can replace it without touching the controllers.
 */
import type { KindInfo } from '@kubeling/api';
import type { Client } from '@kubeling/client';

export type ResourceDiscovery = () => Promise<readonly KindInfo[]>;

/** Every resource the client's scheme knows, i.e. every resource the api-server serves. */
export function schemeDiscovery(client: Client): ResourceDiscovery {
  return () => Promise.resolve(client.scheme.all());
}
