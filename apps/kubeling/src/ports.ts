/** TCP ports for the components that listen. */
import * as net from 'node:net';
import { CliError } from './errors';
import { LOCAL_HOST } from './components';
import type { PortAllocator } from './components';

/** Asks the kernel for an unused port on the loopback address. */
export function freePort(host = LOCAL_HOST): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not determine a free port'));
      });
    });
  });
}

export function portIsFree(port: number, host = LOCAL_HOST): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/**
 * An allocator that never hands out the same port twice in one `up` (the kernel may offer a
 * port again once the probe socket is closed) and refuses a requested port that is taken.
 */
export function portAllocator(host = LOCAL_HOST): PortAllocator {
  const given = new Set<number>();
  return async (preferred) => {
    if (preferred !== undefined) {
      if (given.has(preferred) || !(await portIsFree(preferred, host))) {
        throw new CliError(`port ${preferred} on ${host} is already in use`);
      }
      given.add(preferred);
      return preferred;
    }
    for (let attempt = 0; attempt < 20; attempt++) {
      const port = await freePort(host);
      if (!given.has(port)) {
        given.add(port);
        return port;
      }
    }
    throw new CliError(`could not find a free port on ${host}`);
  };
}
