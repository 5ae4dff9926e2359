// "The usual way", written minimally for comparison: Express, express-session's MemoryStore,
// passport + passport-oauth1 for the login, the `oauth` package's defaults for the send, an
// EJS form (peer-sms.ejs) and a session CSRF token. Forked by run.mjs with PROVIDER_URL;
// reports its port over IPC. With REDIS_URL it is "peer-redis": the same, with its sessions in
// Redis through connect-redis at its defaults (a touch, EXPIRE, on every request), the
// production-grade usual way whose sessions survive a restart and serve several instances.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import { RedisStore } from 'connect-redis';
import express from 'express';
import session from 'express-session';
import oauth from 'oauth';
import passport from 'passport';
import { Strategy as OAuthStrategy } from 'passport-oauth1';
import { createClient } from 'redis';

const provider = process.env.PROVIDER_URL;
const key = 'benchkey';
const secret = 'benchsecret';
const client = new oauth.OAuth(`${provider}/oauth/request_token`, `${provider}/oauth/access_token`, key, secret, '1.0', null, 'HMAC-SHA1');

passport.use(
  'nexmo',
  new OAuthStrategy(
    { requestTokenURL: `${provider}/oauth/request_token`, accessTokenURL: `${provider}/oauth/access_token`, userAuthorizationURL: `${provider}/oauth/authorize`, consumerKey: key, consumerSecret: secret, callbackURL: '/auth/callback' },
    (token, tokenSecret, _profile, done) => done(null, { token, tokenSecret }),
  ),
);
passport.serializeUser((user, done) => done(null, user));
passport.deserializeUser((user, done) => done(null, user));

const app = express();
app.set('view engine', 'ejs');
app.set('views', fileURLToPath(new URL('.', import.meta.url)));
let store;
if (process.env.REDIS_URL) {
  const redis = createClient({ url: process.env.REDIS_URL });
  await redis.connect();
  store = new RedisStore({ client: redis, prefix: 'peer:sess:' });
}
app.use(session({ secret: 'peer-session-secret', resave: false, saveUninitialized: false, store }));
app.use(passport.session());
app.use(express.urlencoded({ extended: false }));

app.get('/auth/login', passport.authenticate('nexmo'));
app.get('/auth/callback', passport.authenticate('nexmo', { successRedirect: '/?notice=connected', failureRedirect: '/?notice=failed' }));

const csrf = (req) => (req.session.csrf ??= randomBytes(32).toString('base64url'));

app.get('/sms', (req, res) => {
  if (!req.user) return res.redirect('/auth/login');
  res.render('peer-sms', { csrf: csrf(req) });
});

app.post('/sms', (req, res) => {
  if (!req.user) return res.status(401).send('Not connected');
  if (!req.session.csrf || req.body?._csrf !== req.session.csrf) return res.status(403).send('Bad CSRF token');
  const { from, to, text } = req.body ?? {};
  client.post(`${provider}/sms/json`, req.user.token, req.user.tokenSecret, { from, to, text }, 'application/x-www-form-urlencoded', (err, data) => {
    if (err) return res.status(502).send('Provider error');
    let id;
    try {
      id = JSON.parse(data).messages?.[0]?.['message-id'];
    } catch {}
    if (!id) return res.status(502).send('Unexpected reply');
    res.redirect(303, `/messages/${encodeURIComponent(id)}`);
  });
});

process.on('disconnect', () => process.exit(0));
// A clean exit, so that a CPU profile (BENCH_PROFILE) is written.
process.on('SIGTERM', () => process.exit(0));
const server = app.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port }));
