// A tiny CloudEvents subscriber for the tour: prints every event it receives (binary mode) and answers 200.
// Usage: node examples/subscriber.mjs [port]   (default 8888)
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 8888);
createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const attributes = Object.fromEntries(
      Object.entries(req.headers)
        .filter(([name]) => name.startsWith('ce-'))
        .map(([name, value]) => [name.slice(3), decodeURIComponent(String(value))]),
    );
    console.log(
      JSON.stringify({
        ...attributes,
        datacontenttype: req.headers['content-type'],
        data: Buffer.concat(chunks).toString(),
      }),
    );
    res.writeHead(200).end();
  });
}).listen(port, '127.0.0.1', () => console.log(`subscriber listening on http://127.0.0.1:${port}/`));
