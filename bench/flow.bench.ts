// Figures for the paths a person waits on: the whole login, one SMS send, and the signature
// work underneath. Run with `npm run bench:vitest`; nothing here asserts on time.
import { afterAll, beforeAll, bench, describe } from 'vitest';

import { createOAuthClient } from '../src/oauth/oauthPackage.js';
import { csrfFrom } from '../test/helpers/html.js';
import { connect, type ConnectedBrowser } from '../test/helpers/login.js';
import { NO_LIMITS, startTestApp, type TestApp } from '../test/helpers/testApp.js';

let app: TestApp;
let browser: ConnectedBrowser;
let csrf: string;

beforeAll(async () => {
  // A generous rate limit and balance so the sandbox never throttles or runs dry mid-run, and
  // the app's abuse limits off: the bench logs in and sends far faster than any person.
  app = await startTestApp(NO_LIMITS, { sandbox: { maxRequestsPerSecond: 100_000, startingBalance: 1_000_000, receiptDelayMs: 3_600_000 } });
  browser = await connect(app);
  csrf = csrfFrom((await browser.get('/sms')).text);
});
afterAll(async () => {
  await app.close();
});

describe('over HTTP on loopback, app and sandbox in one process', () => {
  bench('whole login: request token → consent → callback → access token', async () => {
    await connect(app);
  }, { iterations: 200, warmupIterations: 20, time: 0 });

  bench('send a 2-part unicode SMS (POST /sms → signed /sms/json → 303)', async () => {
    const res = await browser.post('/sms').type('form').send({ _csrf: csrf, from: 'Bench', to: '447700900000', text: `${'ü'.repeat(100)} 🎉` });
    if (res.status !== 303) throw new Error(`send answered ${res.status}`);
  }, { iterations: 300, warmupIterations: 20, time: 0 });
});

describe('signatures (HMAC-SHA1, 8 parameters)', () => {
  // The sandbox verifier's side of the same request is in packages/sandbox/bench.
  const client = createOAuthClient({ requestTokenUrl: 'http://x/rt', accessTokenUrl: 'http://x/at', consumerKey: 'dpf43f3p2l4k3l03', consumerSecret: 'kd94hf93k423kf44', callbackUrl: 'http://x/cb', timeoutMs: 1000 });
  // The package's own signing steps, which the consumer relies on (not part of its typed API).
  const signer = client as unknown as { _getSignature(method: string, url: string, params: string, tokenSecret: string): string; _normaliseRequestParams(args: Record<string, string>): string };
  bench('consumer (oauth package): sign the same request', () => {
    signer._getSignature('POST', 'http://127.0.0.1:3000/sandbox/sms/json', signer._normaliseRequestParams({ from: 'Bench', text: 'Grüße !*\'()&=+ 🎉', oauth_nonce: 'kllo9940pd9333jh', oauth_timestamp: '1191242096', oauth_version: '1.0', oauth_signature_method: 'HMAC-SHA1', oauth_consumer_key: 'dpf43f3p2l4k3l03', oauth_token: 'nnch734d00sl2jdk' }), 'pfkkdhi9sl3r4s00');
  });
});
