/**
 * The two token endpoints of RFC 5849 §2.1 and §2.3. Both answer form-encoded bodies; refusals
 * use the Problem Reporting extension (see problems.ts).
 */
import type { ErrorRequestHandler, Request, Response, Router } from 'express';
import { stateClock } from './clock.js';
import { bodyParsers, readSignedRequest, isBodyParseError } from './signedRequest.js';
import type { SignedRequest } from './signedRequest.js';
import { problem, sendForm, sendProblem, tokenProblem } from './problems.js';
import type { Problem } from './problems.js';
import { ParameterSyntaxError, safeEqual } from './rfc5849.js';
import type { SandboxContext } from './context.js';
import type { TokenLookup } from './verifier.js';

export function mountTokenRoutes(router: Router, context: SandboxContext): void {
  const parse = bodyParsers();
  const onBodyError = bodyErrorHandler(context);
  // POST is the norm; GET is accepted because some clients (PECL OAuth among them) can be set to it.
  router
    .route('/oauth/request_token')
    .get(...parse, requestToken(context), onBodyError)
    .post(...parse, requestToken(context), onBodyError);
  router
    .route('/oauth/access_token')
    .get(...parse, accessToken(context), onBodyError)
    .post(...parse, accessToken(context), onBodyError);
}

function requestToken(context: SandboxContext) {
  return async function requestTokenHandler(req: Request, res: Response): Promise<void> {
    context.stats.requestTokenCalls += 1;
    const collected = readOrRefuse(context, req, res);
    if (collected === undefined) return;
    // No account yet (it is chosen on the consent page): judged by the sandbox's own clock.
    const result = await context.verifier.verify(collected, { token: 'none', required: ['oauth_callback'] });
    if (!result.ok) return refuse(context, req, res, result.problem);

    const { consumerKey, oauth } = result.verified;
    const callback = oauth.get('oauth_callback') as string;
    if (!isAcceptableCallback(callback)) {
      return refuse(context, req, res, problem(400, 'parameter_rejected', { oauth_parameters_rejected: 'oauth_callback' }));
    }
    const issued = await context.requestTokens.issue(consumerKey, callback);
    context.log(`sandbox: request token issued (callback ${callback === 'oob' ? 'oob' : new URL(callback).origin})`);
    sendForm(res, {
      oauth_token: issued.token,
      oauth_token_secret: issued.secret,
      oauth_callback_confirmed: 'true',
    });
  };
}

function accessToken(context: SandboxContext) {
  const lookup: TokenLookup = async (token, consumerKey) => {
    const found = await context.requestTokens.find(token);
    if (!found.ok) return tokenProblem(found.reason);
    // A request token only works for the client it was issued to.
    if (found.record.consumerKey !== consumerKey) return problem(401, 'token_rejected');
    // The exchange acts for the account approved on the consent page, and is judged by its clock.
    return { secret: found.record.secret, account: found.record.account };
  };

  return async function accessTokenHandler(req: Request, res: Response): Promise<void> {
    context.stats.accessTokenCalls += 1;
    const collected = readOrRefuse(context, req, res);
    if (collected === undefined) return;
    const result = await context.verifier.verify(collected, { token: lookup, required: ['oauth_verifier'] });
    if (result.judgedAt !== undefined) stateClock(res, result.judgedAt);
    if (!result.ok) return refuse(context, req, res, result.problem);

    const { consumerKey, token, oauth } = result.verified;
    const found = await context.requestTokens.find(token as string);
    if (!found.ok) return refuse(context, req, res, tokenProblem(found.reason));
    const record = found.record;
    if (record.state !== 'authorized') return refuse(context, req, res, problem(401, 'permission_unknown'));
    // One attempt per request token: a wrong verifier burns it, so verifiers cannot be guessed.
    // Taking the grant is atomic, so of two exchanges racing (on any instance) one gets it.
    const grant = await context.requestTokens.redeem(record);
    if (grant === undefined) return refuse(context, req, res, problem(401, 'token_used'));
    if (!safeEqual(oauth.get('oauth_verifier') as string, grant.verifier)) {
      return refuse(context, req, res, problem(401, 'verifier_invalid'));
    }

    // Armed on the demo controls: the exchange waits, or never answers (the grant is used up).
    if ((await context.delays.apply(grant.account, 'connect', res)) === 'answered') return;
    const issued = await context.accessTokens.issue(consumerKey, grant.account);
    context.log('sandbox: access token issued');
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

function readOrRefuse(context: SandboxContext, req: Request, res: Response): SignedRequest | undefined {
  try {
    return readSignedRequest(req);
  } catch (err) {
    if (!(err instanceof ParameterSyntaxError)) throw err;
    refuse(context, req, res, problem(400, 'parameter_rejected'));
    return undefined;
  }
}

function refuse(context: SandboxContext, req: Request, res: Response, p: Problem): void {
  context.log(`sandbox: ${req.method} ${req.baseUrl}${req.path} refused: ${p.problem}`);
  sendProblem(res, p);
}

function bodyErrorHandler(context: SandboxContext): ErrorRequestHandler {
  return function tokenBodyError(err, req, res, next) {
    if (!isBodyParseError(err)) return next(err);
    refuse(context, req, res, problem(400, 'parameter_rejected'));
  };
}
