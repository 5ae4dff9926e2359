// The sandbox verifier's cost per request: one HMAC-SHA1 signature over the same 8 parameters
// the app's benchmark signs with the consumer (bench/flow.bench.ts at the repository root).
// Run with `npm run bench` from the root; nothing here asserts on time.
import { bench, describe } from 'vitest';

import { computeSignature } from '../src/rfc5849.js';

describe('signatures (HMAC-SHA1, 8 parameters)', () => {
  const params: Array<readonly [string, string]> = [
    ['oauth_consumer_key', 'dpf43f3p2l4k3l03'], ['oauth_token', 'nnch734d00sl2jdk'], ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', '1191242096'], ['oauth_nonce', 'kllo9940pd9333jh'], ['oauth_version', '1.0'],
    ['from', 'Bench'], ['text', 'Grüße !*\'()&=+ 🎉'],
  ];
  bench('sandbox verifier: compute the expected signature', () => {
    computeSignature({ signatureMethod: 'HMAC-SHA1', method: 'POST', url: 'http://127.0.0.1:3000/sandbox/sms/json', params, consumerSecret: 'kd94hf93k423kf44', tokenSecret: 'pfkkdhi9sl3r4s00' });
  });
});
