// A fast stand-in for Nexmo's OAuth and REST endpoints: a load target, so it verifies no
// signatures. It counts requests per path and new TCP connections, and reports them over the
// IPC channel of the process that forked it ({ type: 'stats' } → the counters).
import { createServer } from 'node:http';

const counts = {};
let connections = 0;
let requestTokens = 0;
let messages = 0;
/** request token → the callback the consumer sent with it. */
const callbacks = new Map();

function oauthParams(req, body) {
  const params = {};
  const header = req.headers.authorization ?? '';
  for (const m of header.matchAll(/(\w+)="([^"]*)"/g)) params[m[1]] = decodeURIComponent(m[2]);
  for (const [k, v] of new URLSearchParams(body)) params[k] ??= v;
  return params;
}

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://provider');
  const key = `${req.method} ${url.pathname}`;
  counts[key] = (counts[key] ?? 0) + 1;
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const form = (text) => {
      res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' });
      res.end(text);
    };
    switch (key) {
      case 'POST /oauth/request_token': {
        const token = `rt${++requestTokens}`;
        const callback = oauthParams(req, body).oauth_callback;
        if (callback) callbacks.set(token, callback);
        return form(`oauth_token=${token}&oauth_token_secret=rtsecret&oauth_callback_confirmed=true`);
      }
      case 'GET /oauth/authorize':
      case 'GET /oauth/authenticate': {
        const token = url.searchParams.get('oauth_token') ?? '';
        const callback = callbacks.get(token);
        callbacks.delete(token);
        if (!callback) {
          res.writeHead(400);
          return res.end('unknown request token');
        }
        const target = new URL(callback);
        target.searchParams.set('oauth_token', token);
        target.searchParams.set('oauth_verifier', 'benchverifier');
        res.writeHead(302, { location: target.toString() });
        return res.end();
      }
      case 'POST /oauth/access_token':
        return form('oauth_token=benchaccesstoken&oauth_token_secret=benchaccesssecret');
      case 'POST /sms/json': {
        const to = new URLSearchParams(body).get('to') ?? '447700900000';
        const id = `0A${String(++messages).padStart(14, '0')}`;
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ 'message-count': '1', messages: [{ to, 'message-id': id, status: '0', 'remaining-balance': '1000.00000000', 'message-price': '0.03330000', network: '23410' }] }));
      }
      case 'GET /account/get-balance':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ value: 1000, autoReload: false }));
      default:
        res.writeHead(404);
        return res.end();
    }
  });
});
server.keepAliveTimeout = 30_000;
server.on('connection', () => connections++);

process.on('message', (msg) => {
  if (msg?.type === 'stats') process.send({ type: 'stats', counts: { ...counts }, connections });
});
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port }));
