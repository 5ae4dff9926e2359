// The practical limit: per request, read the form, sign a POST /sms/json (HMAC-SHA1, RFC 5849)
// in a few lines, forward it over a keep-alive agent, answer 303. No session, no store, no pages.
// Forked by run.mjs with PROVIDER_URL; reports its port over IPC.
import { createHmac, randomBytes } from 'node:crypto';
import { Agent, createServer, request } from 'node:http';

const target = new URL('/sms/json', process.env.PROVIDER_URL);
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const consumer = { key: 'benchkey', secret: 'benchsecret' };
const access = { token: 'benchaccesstoken', secret: 'benchaccesssecret' };

const enc = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function authorization(method, url, params) {
  const oauth = {
    oauth_consumer_key: consumer.key,
    oauth_nonce: randomBytes(16).toString('hex'),
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: String(Math.floor(Date.now() / 1000)),
    oauth_token: access.token,
    oauth_version: '1.0',
  };
  const pairs = [...Object.entries(params), ...Object.entries(oauth)].map(([k, v]) => [enc(k), enc(v)]);
  pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  const base = [method, enc(`${url.origin}${url.pathname}`), enc(pairs.map(([k, v]) => `${k}=${v}`).join('&'))].join('&');
  oauth.oauth_signature = createHmac('sha1', `${enc(consumer.secret)}&${enc(access.secret)}`).update(base).digest('base64');
  return `OAuth ${Object.entries(oauth).map(([k, v]) => `${k}="${enc(v)}"`).join(', ')}`;
}

const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const form = new URLSearchParams(body);
    const params = { from: form.get('from') ?? '', to: form.get('to') ?? '', text: form.get('text') ?? '' };
    const payload = new URLSearchParams(params).toString();
    const out = request(target, { method: 'POST', agent, headers: { authorization: authorization('POST', target, params), 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(payload) } }, (reply) => {
      let text = '';
      reply.setEncoding('utf8');
      reply.on('data', (c) => (text += c));
      reply.on('end', () => {
        const id = reply.statusCode === 200 ? JSON.parse(text).messages?.[0]?.['message-id'] : undefined;
        if (!id) {
          res.writeHead(502);
          return res.end();
        }
        res.writeHead(303, { location: `/messages/${id}` });
        res.end();
      });
    });
    out.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    out.end(payload);
  });
});
server.keepAliveTimeout = 30_000;
process.on('disconnect', () => process.exit(0));
// A clean exit, so that a CPU profile (BENCH_PROFILE) is written.
process.on('SIGTERM', () => process.exit(0));
server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port }));
