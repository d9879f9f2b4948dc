// nginx (any tag) as a tiny Node server: the welcome page on /, nginx's 404 page elsewhere.
import http from 'node:http';

const port = Number(process.env.PORT || 80);
const host = process.env.KUBELING_POD_IP || '0.0.0.0';
const welcome = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;
const notFound = `<html>
<head><title>404 Not Found</title></head>
<body>
<center><h1>404 Not Found</h1></center>
<hr><center>nginx/1.27.0</center>
</body>
</html>
`;
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n) => String(n).padStart(2, '0');
const nginxDate = (d) =>
  `${p2(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;

const server = http.createServer((req, res) => {
  const ok = req.url === '/' || req.url === '/index.html';
  const body = ok ? welcome : notFound;
  res.writeHead(ok ? 200 : 404, { Server: 'nginx/1.27.0', 'Content-Type': 'text/html' });
  res.end(req.method === 'HEAD' ? undefined : body);
  process.stdout.write(
    `${req.socket.remoteAddress?.replace(/^::ffff:/, '')} - - [${nginxDate(new Date())}] "${req.method} ${req.url} HTTP/${req.httpVersion}" ${ok ? 200 : 404} ${Buffer.byteLength(body)} "-" "${req.headers['user-agent'] ?? '-'}" "-"\n`,
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
