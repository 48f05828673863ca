// The floor of the comparison: a bare node:http server answering a fixed JSON body.
import { createServer } from 'node:http';

const body = JSON.stringify({ hello: 'world' });
const port = Number(process.argv[2] ?? 0);
createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}).listen(port, '127.0.0.1', () => console.log(`listening on ${port}`));
