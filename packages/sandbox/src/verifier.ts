/**
 * The provider-side checks of RFC 5849 §3.2, in a fixed order so each refusal names the first
 * thing that is wrong. The verifier knows nothing about kinds of tokens: the caller says whether
 * a token is expected and how to find its secret.
 */
import type { SignedRequest } from './signedRequest.js';
import type { NonceStore } from './nonces.js';
import { nameList, problem } from './problems.js';
import type { Problem } from './problems.js';
import { ParameterSyntaxError, SUPPORTED_METHODS, computeSignature, safeEqual, signatureBaseString } from './rfc5849.js';
import type { SignatureMethod } from './rfc5849.js';

/** §3.3 leaves the window to the server; five minutes either way is the common choice. */
export const TIMESTAMP_WINDOW_SECONDS = 300;

/**
 * How to find a token's secret, and the sandbox account the token acts for when it acts for one
 * (whose clock then judges the request's timestamp, see clock.ts).
 */
export type TokenLookup = (token: string, consumerKey: string) => Promise<{ secret: string; account?: string } | Problem>;

export interface VerifyRules {
  /** 'none': a token must not be sent (request-token step); otherwise how to find its secret. */
  token: 'none' | TokenLookup;
  /** Extra parameters this endpoint needs, e.g. oauth_callback or oauth_verifier. */
  required?: readonly string[];
}

export interface Verified {
  consumerKey: string;
  token: string | undefined;
  /** The account the token acts for, as the token lookup said. */
  account: string | undefined;
  /** The oauth_* parameters, each present exactly once. */
  oauth: ReadonlyMap<string, string>;
}

/**
 * `judgedAt`: the time (ms) the request was judged by, once the verifier got as far as reading the
 * clock (every signed request that is well-formed enough to name its consumer and method). The
 * reply states it in its Date header, so a refused client can see the clock it was judged by.
 */
export type VerifyResult = ({ ok: true; verified: Verified } | { ok: false; problem: Problem }) & { judgedAt?: number };

export interface VerifierDeps {
  consumerSecret: (consumerKey: string) => string | undefined;
  nonces: NonceStore;
  /**
   * The clock timestamps are judged by: the account's when the token acts for one, otherwise the
   * sandbox's own (clock.ts: the demo controls can move an account's).
   */
  now: (account: string | undefined) => number | Promise<number>;
  /**
   * A break-it switch armed for the account (breaks.ts), taken by the call it breaks: a call
   * that passed every check is refused as if its signature did not match, or as a replay.
   */
  takeBreak?: (account: string) => Promise<'signature' | 'nonce' | undefined>;
}

export class OAuthVerifier {
  constructor(private readonly deps: VerifierDeps) {}

  async verify(req: SignedRequest, rules: VerifyRules): Promise<VerifyResult> {
    try {
      return await this.check(req, rules);
    } catch (err) {
      if (err instanceof ParameterSyntaxError) return fail(problem(400, 'parameter_rejected'));
      throw err;
    }
  }

  private async check(req: SignedRequest, rules: VerifyRules): Promise<VerifyResult> {
    const oauth = new Map<string, string>();
    const repeated = new Set<string>();
    for (const [name, value] of req.params) {
      if (!name.startsWith('oauth_')) continue;
      if (oauth.has(name)) repeated.add(name);
      oauth.set(name, value);
    }
    // §3.2: each protocol parameter at most once, whichever way it was sent.
    if (repeated.size > 0) {
      return fail(problem(400, 'parameter_rejected', { oauth_parameters_rejected: nameList([...repeated]) }));
    }

    const version = oauth.get('oauth_version');
    if (version !== undefined && version !== '1.0') {
      return fail(problem(400, 'version_rejected', { oauth_acceptable_versions: '1.0-1.0' }));
    }

    const method = oauth.get('oauth_signature_method');
    const required = ['oauth_consumer_key', 'oauth_signature_method', 'oauth_signature'];
    // §3.3: timestamp and nonce MAY be omitted with PLAINTEXT; checked whenever they are sent.
    if (method !== 'PLAINTEXT') required.push('oauth_timestamp', 'oauth_nonce');
    if (rules.token !== 'none') required.push('oauth_token');
    required.push(...(rules.required ?? []));
    const absent = required.filter((name) => !oauth.get(name));
    if (absent.length > 0) {
      return fail(problem(400, 'parameter_absent', { oauth_parameters_absent: nameList(absent) }));
    }

    const consumerKey = oauth.get('oauth_consumer_key') as string;
    const consumerSecret = this.deps.consumerSecret(consumerKey);
    if (consumerSecret === undefined) return fail(problem(401, 'consumer_key_unknown'));

    if (!SUPPORTED_METHODS.includes(method as SignatureMethod)) {
      return fail(problem(400, 'signature_method_rejected'));
    }

    // The token is looked up before the timestamp is judged, since its account's clock is the
    // one that judges; whatever is wrong with it is still reported after the timestamp and the
    // nonce, in the order of §3.2 that clients rely on.
    const token = oauth.get('oauth_token');
    const found = rules.token === 'none' ? undefined : await rules.token(token as string, consumerKey);
    const account = found === undefined || 'problem' in found ? undefined : found.account;
    const judgedAt = await this.deps.now(account);
    const judged = (result: VerifyResult): VerifyResult => ({ ...result, judgedAt });

    const timestamp = oauth.get('oauth_timestamp');
    const nowSeconds = Math.floor(judgedAt / 1000);
    if (timestamp !== undefined) {
      if (!/^\d{1,12}$/.test(timestamp)) {
        return judged(fail(problem(400, 'parameter_rejected', { oauth_parameters_rejected: 'oauth_timestamp' })));
      }
      if (Math.abs(Number(timestamp) - nowSeconds) > TIMESTAMP_WINDOW_SECONDS) {
        const range = `${nowSeconds - TIMESTAMP_WINDOW_SECONDS}-${nowSeconds + TIMESTAMP_WINDOW_SECONDS}`;
        return judged(fail(problem(401, 'timestamp_refused', { oauth_acceptable_timestamps: range })));
      }
    }

    const nonce = oauth.get('oauth_nonce');
    if (nonce !== undefined) {
      if (nonce.length > 255) {
        return judged(fail(problem(400, 'parameter_rejected', { oauth_parameters_rejected: 'oauth_nonce' })));
      }
      // Checked early so a replay is named as such; recorded only once the signature holds.
      if (await this.deps.nonces.has(consumerKey, nonce)) return judged(fail(problem(401, 'nonce_used')));
    }

    let tokenSecret = '';
    if (found === undefined) {
      // Some clients send an empty oauth_token before they have one; that is harmless.
      if (token) return judged(fail(problem(401, 'token_rejected')));
    } else {
      if ('problem' in found) return judged(fail(found));
      tokenSecret = found.secret;
    }

    const signatureMethod = method as SignatureMethod;
    const expected = computeSignature({
      method: req.method,
      url: req.url,
      params: req.params,
      signatureMethod,
      consumerSecret,
      tokenSecret,
    });
    // The extension's debugging hint: the base string holds no secret, only the request.
    const badSignature = () =>
      judged(fail(problem(401, 'signature_invalid', signatureMethod === 'HMAC-SHA1' ? { oauth_signature_base_string: signatureBaseString(req.method, req.url, req.params) } : undefined)));
    if (!safeEqual(expected, oauth.get('oauth_signature') as string)) return badSignature();

    // Atomic: of two requests racing with one nonce (possibly on two instances), one passes.
    if (nonce !== undefined && !(await this.deps.nonces.remember(consumerKey, nonce, timestamp === undefined ? nowSeconds : Number(timestamp)))) {
      return judged(fail(problem(401, 'nonce_used')));
    }
    // Only a call that would have gone through is broken on purpose: the demo shows the refusal
    // a real provider gives, for this account's next call alone.
    const broken = account === undefined ? undefined : await this.deps.takeBreak?.(account);
    if (broken === 'signature') return badSignature();
    if (broken === 'nonce') return judged(fail(problem(401, 'nonce_used')));
    return { ok: true, verified: { consumerKey, token: token || undefined, account, oauth }, judgedAt };
  }
}

function fail(p: Problem): VerifyResult {
  return { ok: false, problem: p };
}
