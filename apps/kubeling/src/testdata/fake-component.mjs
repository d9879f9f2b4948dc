// A stand-in component for kubeling's own tests. Its behaviour is chosen by --mode:
//   http      serve GET /readyz (200) and /version on --port until SIGTERM
//   stdout    print "ready" after a moment, then idle until SIGTERM
//   crash     print an error and exit 3 at once
//   silent    never become ready
//   stubborn  print "ready" and ignore SIGTERM (only SIGKILL stops it)
//   child     print "ready", start a grandchild in the same process group, idle until SIGTERM
import http from 'node:http';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    mode: { type: 'string' },
    port: { type: 'string' },
    'cluster-name': { type: 'string' },
    id: { type: 'string' },
  },
  strict: false,
});
const mode = values.mode ?? 'http';
console.log(
  `fake ${values.id ?? ''} starting in mode ${mode} for cluster ${values['cluster-name'] ?? ''}`,
);
const idle = setInterval(() => undefined, 60_000);
const stop = () => {
  console.log('fake: SIGTERM, exiting');
  clearInterval(idle);
  process.exit(0);
};

switch (mode) {
  case 'http': {
    const server = http.createServer((req, res) => {
      if (req.url === '/readyz') res.end('ok');
      else if (req.url === '/version')
        res.end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.0' }));
      else {
        res.statusCode = 404;
        res.end();
      }
    });
    server.listen(Number(values.port), '127.0.0.1');
    process.on('SIGTERM', () => server.close(stop));
    break;
  }
  case 'stdout':
    setTimeout(() => console.log('ready'), 150);
    process.on('SIGTERM', stop);
    break;
  case 'crash':
    console.error('fake: cannot start: boom');
    process.exit(3);
    break;
  case 'silent':
    process.on('SIGTERM', stop);
    break;
  case 'stubborn':
    process.on('SIGTERM', () => console.log('fake: ignoring SIGTERM'));
    console.log('ready');
    break;
  case 'child': {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60000)'], {
      stdio: 'ignore',
    });
    console.log(`grandchild ${child.pid}`);
    console.log('ready');
    process.on('SIGTERM', stop);
    break;
  }
  default:
    console.error(`unknown mode ${mode}`);
    process.exit(2);
}
