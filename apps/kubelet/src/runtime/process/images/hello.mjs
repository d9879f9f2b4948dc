// nginxdemos/hello as a tiny Node server: answers every request with the server's address,
// its name (the container's hostname, the pod name), the date, the URI and a request id, in
// the format of the real image's plain-text (HELLO_FORMAT=plain-text) or HTML page.
import crypto from 'node:crypto';
import http from 'node:http';
import os from 'node:os';

const port = Number(process.env.PORT || 80);
const host = process.env.KUBELING_POD_IP || '0.0.0.0';
const name = process.env.HOSTNAME || os.hostname();
const plain = process.env.HELLO_FORMAT === 'plain-text';
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n) => String(n).padStart(2, '0');
// nginx's $time_local: 07/Aug/2025:15:26:57 +0000
const nginxDate = (d) =>
  `${p2(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;

const server = http.createServer((req, res) => {
  const addr = `${req.socket.localAddress.replace(/^::ffff:/, '')}:${req.socket.localPort}`;
  const date = nginxDate(new Date());
  const id = crypto.randomBytes(16).toString('hex');
  const headers = {
    Server: 'nginx/1.27.0',
    'Cache-Control': 'no-cache',
    Expires: new Date(0).toUTCString(),
  };
  let body;
  if (plain) {
    body = `Server address: ${addr}\nServer name: ${name}\nDate: ${date}\nURI: ${req.url}\nRequest ID: ${id}\n`;
    res.writeHead(200, { ...headers, 'Content-Type': 'text/plain' });
  } else {
    body = `<!DOCTYPE html>
<html>
<head>
<title>Hello World</title>
</head>
<body>
<p><span>Server&nbsp;address:</span> <span>${addr}</span></p>
<p><span>Server&nbsp;name:</span> <span>${name}</span></p>
<p class="smaller"><span>Date:</span> <span>${date}</span></p>
<p class="smaller"><span>URI:</span> <span>${req.url}</span></p>
<p class="smaller"><span>Request ID:</span> <span>${id}</span></p>
</body>
</html>
`;
    res.writeHead(200, { ...headers, 'Content-Type': 'text/html' });
  }
  res.end(req.method === 'HEAD' ? undefined : body);
  // nginx's access log line on stdout, as the real image prints it.
  const ua = req.headers['user-agent'] ?? '-';
  process.stdout.write(
    `${req.socket.remoteAddress?.replace(/^::ffff:/, '')} - - [${date}] "${req.method} ${req.url} HTTP/${req.httpVersion}" 200 ${Buffer.byteLength(body)} "-" "${ua}" "-"\n`,
  );
});
server.on('error', (e) => {
  if (e.code === 'EACCES')
    console.error(
      `nginx: [emerg] bind() to ${host}:${port} failed (13: Permission denied): ports below 1024 need root (or sysctl net.ipv4.ip_unprivileged_port_start=0)`,
    );
  else console.error(`nginx: [emerg] bind() to ${host}:${port} failed: ${e.message}`);
  process.exit(1);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('SIGQUIT', () => server.close(() => process.exit(0)));
server.listen(port, host, () => {
  process.stdout.write(`/docker-entrypoint.sh: Configuration complete; ready for start up\n`);
});
