/**
 * The two token endpoints of RFC 5849 §2.1 and §2.3. Both answer form-encoded bodies; refusals
 * use the Problem Reporting extension (see problems.ts).
 */
import type { ErrorRequestHandler, Request, Response, Router } from 'express';
import { bodyParsers, collectRequest, isBodyParseError } from './collect.js';
import type { CollectedRequest } from './collect.js';
import { problem, sendForm, sendProblem, tokenProblem } from './problems.js';
import type { Problem } from './problems.js';
import { ParameterSyntaxError, safeEqual } from './rfc5849.js';
import { SANDBOX_USERNAME } from './state.js';
import type { SandboxState } from './state.js';
import type { TokenLookup } from './verifier.js';

export function mountTokenRoutes(router: Router, state: SandboxState): void {
  const parse = bodyParsers();
  const onBodyError = bodyErrorHandler(state);
  // POST is the norm; GET is accepted because some clients (PECL OAuth among them) can be set to it.
  router
    .route('/oauth/request_token')
    .get(...parse, requestToken(state), onBodyError)
    .post(...parse, requestToken(state), onBodyError);
  router
    .route('/oauth/access_token')
    .get(...parse, accessToken(state), onBodyError)
    .post(...parse, accessToken(state), onBodyError);
}

function requestToken(state: SandboxState) {
  return function requestTokenHandler(req: Request, res: Response): void {
    state.stats.requestTokenCalls += 1;
    const collected = collectOrRefuse(state, req, res);
    if (collected === undefined) return;
    const result = state.verifier.verify(collected, { token: 'none', required: ['oauth_callback'] });
    if (!result.ok) return refuse(state, req, res, result.problem);

    const { consumerKey, oauth } = result.verified;
    const callback = oauth.get('oauth_callback') as string;
    if (!isAcceptableCallback(callback)) {
      return refuse(state, req, res, problem(400, 'parameter_rejected', { oauth_parameters_rejected: 'oauth_callback' }));
    }
    const issued = state.requestTokens.issue(consumerKey, callback);
    state.log(`sandbox: request token issued (callback ${callback === 'oob' ? 'oob' : new URL(callback).origin})`);
    sendForm(res, {
      oauth_token: issued.token,
      oauth_token_secret: issued.secret,
      oauth_callback_confirmed: 'true',
    });
  };
}

function accessToken(state: SandboxState) {
  const lookup: TokenLookup = (token, consumerKey) => {
    const found = state.requestTokens.find(token);
    if (!found.ok) return tokenProblem(found.reason);
    // A request token only works for the client it was issued to.
    if (found.record.consumerKey !== consumerKey) return problem(401, 'token_rejected');
    return { secret: found.record.secret };
  };

  return function accessTokenHandler(req: Request, res: Response): void {
    state.stats.accessTokenCalls += 1;
    const collected = collectOrRefuse(state, req, res);
    if (collected === undefined) return;
    const result = state.verifier.verify(collected, { token: lookup, required: ['oauth_verifier'] });
    if (!result.ok) return refuse(state, req, res, result.problem);

    const { consumerKey, token, oauth } = result.verified;
    const found = state.requestTokens.find(token as string);
    if (!found.ok) return refuse(state, req, res, problem(401, 'token_rejected'));
    const record = found.record;
    if (record.state !== 'authorized' || record.verifier === undefined) {
      return refuse(state, req, res, problem(401, 'permission_unknown'));
    }
    const verifierOk = safeEqual(oauth.get('oauth_verifier') as string, record.verifier);
    // One attempt per request token: a wrong verifier burns it, so verifiers cannot be guessed.
    state.requestTokens.markUsed(record);
    if (!verifierOk) return refuse(state, req, res, problem(401, 'verifier_invalid'));

    const issued = state.accessTokens.issue(consumerKey, SANDBOX_USERNAME);
    state.log('sandbox: access token issued');
    sendForm(res, { oauth_token: issued.token, oauth_token_secret: issued.secret, username: issued.username });
  };
}

/** RFC 5849 §2.1: an absolute URI, or "oob" when the client cannot receive a callback. */
export function isAcceptableCallback(callback: string): boolean {
  if (callback === 'oob') return true;
  if (callback.length > 2048) return false;
  try {
    const url = new URL(callback);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function collectOrRefuse(state: SandboxState, req: Request, res: Response): CollectedRequest | undefined {
  try {
    return collectRequest(req);
  } catch (err) {
    if (!(err instanceof ParameterSyntaxError)) throw err;
    refuse(state, req, res, problem(400, 'parameter_rejected'));
    return undefined;
  }
}

function refuse(state: SandboxState, req: Request, res: Response, p: Problem): void {
  state.log(`sandbox: ${req.method} ${req.baseUrl}${req.path} refused: ${p.problem}`);
  sendProblem(res, p);
}

function bodyErrorHandler(state: SandboxState): ErrorRequestHandler {
  return function tokenBodyError(err, req, res, next) {
    if (!isBodyParseError(err)) return next(err);
    refuse(state, req, res, problem(400, 'parameter_rejected'));
  };
}
