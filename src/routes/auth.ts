import { Router, type NextFunction, type Request, type Response } from 'express';

import { requireCsrf } from '../http/csrf.js';
import { HttpError } from '../http/errors.js';
import type { LoginLimit } from '../http/loginLimit.js';
import { ProviderError, ProviderHttpError, ProviderTimeoutError } from '../oauth/errors.js';
import { describeProblem } from '../oauth/problems.js';
import { explainProblem } from '../present/providerProblem.js';
import type { ProtocolExchange } from '../oauth/exchangeTrace.js';
import { safeEqual } from '../lib/safeEqual.js';
import { localPath, withParams } from '../lib/localPath.js';
import { authorizeStep, callbackStep, newTraceId, tokenHash, type TraceStep, type TraceStore } from '../oauth/trace.js';
import { LoginRefusedError, newLoginOwner, type AuthPage, type LoginFlow, type LoginRefusal } from '../oauth/loginFlow.js';
import { SESSION_COOKIE, destroySession, regenerateSession, saveSession } from '../http/session.js';
import { tooManyRequests } from './limitReached.js';

export interface AuthDeps {
  login: LoginFlow;
  loginLimit: LoginLimit;
  defaultAuthPage: AuthPage;
  /** Where the connection's timeline ("How it works") is kept. */
  traces: TraceStore;
}

const START_AGAIN = { href: '/auth/login', label: 'Connect with Nexmo again' };

/** Mounted at /auth. Maps HTTP to the login flow, and its typed failures to pages. */
export function authRouter(deps: AuthDeps): Router {
  const router = Router();

  router.get('/login', async (req: Request, res: Response, next: NextFunction) => {
    const page = req.query.page ?? deps.defaultAuthPage;
    if (page !== 'authorize' && page !== 'authenticate') {
      return next(new HttpError(400, { title: 'Unknown sign-in page', message: 'The page parameter must be "authorize" or "authenticate".', action: START_AGAIN }));
    }
    // Each start costs a request-token call: counted before it, and a refusal stores nothing.
    const refusal = await deps.loginLimit.countLoginStart(req, res);
    if (refusal) return next(tooManyRequests(refusal));
    // One owner id per browser session: its logins in other tabs stay pending side by side.
    // Stored only once the provider has answered, so a failed start creates no session.
    const owner = req.session.loginOwner ?? newLoginOwner();
    // The page that sent the person here (the SMS form after a disconnect), to return to once
    // connected: kept with the pending login, so each tab's login returns to its own page.
    const returnTo = returnPathOf(req.query.return);
    let target: URL;
    let requestTokenExchange: ProtocolExchange;
    try {
      ({ target, exchange: requestTokenExchange } = await deps.login.start(owner, page, res.locals.appOrigin as string, returnTo));
    } catch (err) {
      return next(providerFailure(err, req, 'request token'));
    }
    req.session.loginOwner = owner;
    const token = target.searchParams.get('oauth_token') ?? '';
    req.session.loginTrace = {
      tokenHash: tokenHash(token),
      steps: [{ kind: 'request-token', exchange: requestTokenExchange }, authorizeStep(target, token, Date.now())],
    };
    await saveSession(req);
    res.redirect(302, target.toString());
  });

  /** The provider sends the browser back here with the request token and a verifier (or a denial). */
  router.get('/callback', async (req: Request, res: Response, next: NextFunction) => {
    const owner = req.session?.loginOwner;
    const denied = singleValue(req.query.denied);
    if (denied !== undefined) {
      // Only a session that started a login has anything to forget; don't create one.
      if (owner) await deps.login.cancel(owner, denied);
      return res.status(200).render('message', {
        status: 200,
        tone: 'info',
        page: { title: 'You cancelled the connection', message: 'Nothing was connected and the app holds no access to your Nexmo account.', action: { href: '/', label: 'Back to the start' } },
      });
    }

    const token = singleValue(req.query.oauth_token);
    if (!token) return next(startAgain(403, 'This sign-in link is not valid', 'The link did not say which sign-in it belongs to. Start again from this app.'));
    // No session at all: not a forged link so much as a browser that lost track (another address, blocked cookies).
    if (!owner) return next(noSessionPage());
    // Back or refresh after connecting brings this browser's own finished callback again: it is
    // connected, so say so instead of refusing a sign-in it did start. Any other token (another
    // browser's, an unknown one) goes on to be refused as before, and none is exchanged again.
    if (isOwnCompletedLogin(req, token)) return res.redirect(303, '/?notice=already-connected');

    const verifier = singleValue(req.query.oauth_verifier);
    let connection;
    let accessTokenExchange: ProtocolExchange;
    let returnTo: string | undefined;
    try {
      ({ connection, exchange: accessTokenExchange, returnTo } = await deps.login.complete(owner, token, verifier));
    } catch (err) {
      return next(err instanceof LoginRefusedError ? refusalPage(err.reason) : providerFailure(err, req, 'access token'));
    }
    // A new session id at the moment of privilege change defeats session fixation; the owner id
    // comes along so logins still pending in other tabs can complete too.
    const loginTrace = req.session.loginTrace;
    const trace: TraceStep[] = [
      ...(loginTrace && safeEqual(loginTrace.tokenHash, tokenHash(token)) ? loginTrace.steps : []),
      callbackStep(token, verifier ?? '', Date.now()),
      { kind: 'access-token', exchange: accessTokenExchange },
    ];
    const traceId = newTraceId();
    await deps.traces.start(traceId, trace);
    // Another tab connected this browser to another account before: the pages still open there
    // will say so (see the SMS form's account check), and this one says it now.
    const switched = req.session.connection !== undefined && req.session.connection.account !== connection.account;
    await regenerateSession(req);
    req.session.loginOwner = owner;
    req.session.connection = connection;
    req.session.completedLogin = tokenHash(token);
    req.session.traceId = traceId;
    await saveSession(req);
    req.log.info('connected: access token obtained');
    res.redirect(302, withParams(returnPathOf(returnTo) ?? '/', { notice: switched ? 'switched' : 'connected' }));
  });

  router.post('/logout', requireCsrf, async (req: Request, res: Response) => {
    await destroySession(req);
    res.clearCookie(SESSION_COOKIE);
    res.redirect(303, '/?notice=disconnected');
  });

  return router;
}

/** A local page to return to after connecting; the login's own pages never (they would loop). */
function returnPathOf(value: unknown): string | undefined {
  const path = localPath(value);
  return path === undefined || path === '/auth' || path.startsWith('/auth/') ? undefined : path;
}

/** The callback names the login this browser last completed, and it is still connected. */
function isOwnCompletedLogin(req: Request, token: string): boolean {
  const completed = req.session.completedLogin;
  return Boolean(req.session.connection) && completed !== undefined && safeEqual(completed, tokenHash(token));
}

/** One string from a query value; repeated or nested parameters count as absent. */
function singleValue(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function startAgain(status: number, title: string, message: string): HttpError {
  return new HttpError(status, { title, message, action: START_AGAIN });
}

function noSessionPage(): HttpError {
  return startAgain(
    403,
    'This browser has no sign-in in progress',
    'Nexmo sent you back, but this browser holds no session for the app at this address. That happens when the app was opened at one address and the sign-in came back to another, or when the browser blocks cookies for it. Open the app at the address you mean to use, allow its cookie, and connect again.',
  );
}

function refusalPage(reason: LoginRefusal): HttpError {
  switch (reason) {
    case 'unknown':
      return startAgain(403, 'This sign-in was not started here', 'This browser did not start that sign-in, or it was already used. Start again from this app.');
    case 'expired':
      return startAgain(403, 'This sign-in has expired', 'Sign-ins must be completed within 10 minutes. Start again.');
    case 'no-verifier':
      return startAgain(400, 'Nexmo did not confirm the sign-in', 'The answer from Nexmo had no verification code, so nothing was connected. Start again.');
  }
}

/**
 * Logs what went wrong (status, the problem code and a safe excerpt only) and turns it into a
 * page: a refusal that says why gets its own explanation (present/providerProblem.ts).
 */
function providerFailure(err: unknown, req: Request, step: 'request token' | 'access token'): HttpError {
  if (!(err instanceof ProviderError)) throw err;
  const problem = err.problem ? ` ${describeProblem(err.problem)}` : '';
  req.log.warn(
    { step, error: err.name, providerStatus: err.status, oauthProblem: err.problem?.code, clockSkewSeconds: err.problem?.clockSkewSeconds, excerpt: err.excerpt },
    `provider failure during ${step}: ${err.name}${err.status ? ` status=${err.status}` : ''}${problem}${err.excerpt ? ` body="${err.excerpt}"` : ''}`,
  );
  if (err instanceof ProviderHttpError) {
    const explained = explainProblem(err.problem, step, `${appOriginOf(req)}/auth/callback`);
    return new HttpError(explained.status, { title: explained.title, message: explained.message, advice: explained.advice, action: START_AGAIN }, { cause: err });
  }
  const message =
    err instanceof ProviderTimeoutError
      ? 'Nexmo did not answer in time, so nothing was connected. Try again in a moment.'
      : 'The app could not talk to Nexmo, so nothing was connected. Try again in a moment.';
  return new HttpError(502, { title: "Couldn't connect to Nexmo", message, action: START_AGAIN }, { cause: err });
}

/** The origin the browser reached the app at, which the callback URL was given at. */
function appOriginOf(req: Request): string {
  return String(req.res?.locals.appOrigin ?? '');
}
