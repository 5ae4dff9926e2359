#!/usr/bin/env node
// The whole OAuth 1.0a dance with Nexmo, by hand, as Nexmo's PHP sample did it: a request token,
// the authorize page opened by you, the verifier pasted back (an "oob" callback: the provider
// shows it on its page instead of redirecting), the access token, and one signed SMS.
//
//   npm install oauth
//   NEXMO_CONSUMER_KEY=… NEXMO_CONSUMER_SECRET=… SMS_TO=447700900000 node oauth-dance.mjs
//
// NEXMO_OAUTH_URL (default https://dashboard.nexmo.com/oauth/) and NEXMO_REST_URL (default
// https://rest.nexmo.com) point it elsewhere, e.g. at the sandbox run alone with `npm run
// sandbox` (http://127.0.0.1:4000/oauth/ and http://127.0.0.1:4000). SMS_FROM and SMS_TEXT
// choose the sender and the text.
import { createInterface } from 'node:readline/promises';
import oauth from 'oauth';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === '') {
    console.error(`Set ${name}.`);
    process.exit(2);
  }
  return value;
};
const oauthUrl = env('NEXMO_OAUTH_URL', 'https://dashboard.nexmo.com/oauth/').replace(/\/?$/, '/');
const restUrl = env('NEXMO_REST_URL', 'https://rest.nexmo.com').replace(/\/+$/, '');
const client = new oauth.OAuth(
  `${oauthUrl}request_token`,
  `${oauthUrl}access_token`,
  env('NEXMO_CONSUMER_KEY'),
  env('NEXMO_CONSUMER_SECRET'),
  '1.0', // not "1.0A", which strict providers refuse
  'oob',
  'HMAC-SHA1',
);
// Token calls as POST, and never follow a redirect with a signed request.
client.setClientOptions({ requestTokenHttpMethod: 'POST', accessTokenHttpMethod: 'POST', followRedirects: false });

/** The package's callbacks as promises, keeping every value they give. */
const tokens = (call) =>
  new Promise((resolve, reject) => call((err, token, secret, results) => (err ? reject(err) : resolve({ token, secret, results }))));

// Leg 1: a request token, for an out-of-band callback.
const request = await tokens((done) => client.getOAuthRequestToken({ oauth_callback: 'oob' }, done));
if (request.results.oauth_callback_confirmed !== 'true') throw new Error('the provider did not confirm the callback (an OAuth 1.0 provider, not 1.0a)');

// Leg 2: you approve on the provider's page, which then shows the verifier.
console.log(`Open this page, approve, and paste the verifier it shows:\n${oauthUrl}authorize?oauth_token=${encodeURIComponent(request.token)}`);
const input = createInterface({ input: process.stdin, output: process.stdout, terminal: false });
const verifier = (await input.question('Verifier: ')).trim();
input.close();

// Leg 3: the request token and the verifier for an access token.
const access = await tokens((done) => client.getOAuthAccessToken(request.token, request.secret, verifier, done));
console.log(`Connected${access.results.username ? ` as ${access.results.username}` : ''}.`);

// A signed API call: the SMS as a form POST, one value per key.
const form = { from: process.env.SMS_FROM ?? 'OAuthDance', to: env('SMS_TO'), text: process.env.SMS_TEXT ?? 'Hello from the OAuth 1.0a dance' };
const reply = await new Promise((resolve, reject) =>
  client.post(`${restUrl}/sms/json`, access.token, access.secret, form, 'application/x-www-form-urlencoded', (err, body) => (err ? reject(err) : resolve(String(body)))),
);
console.log(reply);
