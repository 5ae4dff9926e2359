import { createHash } from 'node:crypto';

import { Router, type NextFunction, type Request, type Response } from 'express';

import { requireCsrf } from '../http/csrf.js';
import { HttpError } from '../http/errors.js';
import { appOriginOf } from '../http/hosts.js';
import type { LoginLimit } from '../http/loginLimit.js';
import { SESSION_COOKIE, destroySession, regenerateSession, saveSession } from '../http/session.js';
import { localPath, withParams } from '../lib/localPath.js';
import { safeEqual } from '../lib/safeEqual.js';
import { ProviderHttpError, ProviderTimeoutError, type ProviderError } from '../oauth/errors.js';
import { newLoginOwner, type AuthPage, type LoginFlow } from '../oauth/loginFlow.js';
import { describeProblem } from '../oauth/problems.js';
import { CANCELLED, CONNECT_AGAIN, INVALID_CALLBACK, NO_SIGN_IN_IN_PROGRESS, UNKNOWN_AUTH_PAGE, loginRefusedPage, providerUnreachablePage, type LoginPage } from '../present/loginPages.js';
import { explainProblem } from '../present/providerProblem.js';
import type { Metrics } from '../metrics/metrics.js';
import type { RoomBoard } from '../store/roomBoard.js';
import { tooManyRequests } from './limitReached.js';
import { AUTH_CALLBACK_PATH } from './paths.js';
import { noteInRoom } from './roomEvents.js';

export interface AuthDeps {
  login: LoginFlow;
  loginLimit: LoginLimit;
  defaultAuthPage: AuthPage;
  /** Counts each login by how it ended. */
  metrics?: Metrics;
  /** Sandbox mode: the room board, told who signs in, connects and leaves. */
  room?: RoomBoard;
}

/** Mounted at /auth. Maps HTTP to the login flow, and each of its endings to a redirect or a page. */
export function authRouter(deps: AuthDeps): Router {
  const router = Router();

  router.get('/login', async (req: Request, res: Response, next: NextFunction) => {
    const page = req.query.page ?? deps.defaultAuthPage;
    if (page !== 'authorize' && page !== 'authenticate') return next(pageError(UNKNOWN_AUTH_PAGE));
    // Each start costs a request-token call: counted before it, and a refusal stores nothing.
    const refusal = await deps.loginLimit.countLoginStart(req, res);
    if (refusal) {
      deps.metrics?.login('limited');
      deps.metrics?.limitRefusal(refusal.kind);
      return next(tooManyRequests(refusal));
    }
    // One owner id per browser session: its logins in other tabs stay pending side by side.
    // Stored only once the provider has answered, so a failed start creates no session.
    const owner = req.session.loginOwner ?? newLoginOwner();
    // The page that sent the person here (the SMS form after a disconnect), to return to once
    // connected: kept with the pending login, so each tab's login returns to its own page.
    const started = await deps.login.start(owner, page, appOriginOf(res), returnPathOf(req.query.return));
    if (started.kind === 'failed') {
      deps.metrics?.login('failed');
      return next(providerFailure(started.failure, req, 'request token'));
    }
    req.session.loginOwner = owner;
    await saveSession(req);
    // A browser already connected is back at leg 1 (a browser that is not has no account yet).
    await noteInRoom(req, deps.room, req.session.connection, (board, person) => board.saw(person, 'signing-in'));
    res.redirect(302, started.target.toString());
  });

  /** The provider sends the browser back here with the request token and a verifier (or a denial). */
  router.get('/callback', async (req: Request, res: Response, next: NextFunction) => {
    const owner = req.session?.loginOwner;
    const denied = singleValue(req.query.denied);
    if (denied !== undefined) {
      // Only a session that started a login has anything to forget; don't create one.
      if (owner) await deps.login.cancel(owner, denied);
      deps.metrics?.login('denied');
      // A connected browser that declined another sign-in is still connected as before.
      await noteInRoom(req, deps.room, req.session?.connection, (board, person) => board.saw(person, 'connected'));
      return res.status(200).render('message', { status: 200, tone: 'info', page: CANCELLED });
    }

    const token = singleValue(req.query.oauth_token);
    if (!token) return next(pageError(INVALID_CALLBACK));
    if (!owner) return next(pageError(NO_SIGN_IN_IN_PROGRESS));
    // Back or refresh after connecting brings this browser's own finished callback again: it is
    // connected, so say so instead of refusing a sign-in it did start. Any other token (another
    // browser's, an unknown one) goes on to be refused as before, and none is exchanged again.
    if (isOwnCompletedLogin(req, token)) return res.redirect(303, '/?notice=already-connected');

    const completed = await deps.login.complete(owner, token, singleValue(req.query.oauth_verifier));
    deps.metrics?.login(completed.kind);
    if (completed.kind === 'refused') return next(pageError(loginRefusedPage(completed.reason)));
    if (completed.kind === 'failed') return next(providerFailure(completed.failure, req, 'access token'));
    const { connection, returnTo } = completed;
    // Another tab connected this browser to another account before: the pages still open there
    // will say so (see the SMS form's account check), and this one says it now.
    const before = req.session.connection;
    const switched = before !== undefined && before.account !== connection.account;
    // A new session id at the moment of privilege change defeats session fixation; the owner id
    // comes along so logins still pending in other tabs can complete too.
    await regenerateSession(req);
    req.session.loginOwner = owner;
    req.session.connection = connection;
    req.session.completedLogin = tokenHash(token);
    await saveSession(req);
    req.log.info('connected: access token obtained');
    if (switched) await noteInRoom(req, deps.room, before, (board, person) => board.saw(person, 'disconnected'));
    await noteInRoom(req, deps.room, connection, (board, person) => board.saw(person, 'connected'));
    res.redirect(302, withParams(returnPathOf(returnTo) ?? '/', { notice: switched ? 'switched' : 'connected' }));
  });

  router.post('/logout', requireCsrf, async (req: Request, res: Response) => {
    await noteInRoom(req, deps.room, req.session.connection, (board, person) => board.saw(person, 'disconnected'));
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

/** Which request token a completed login used, without keeping the token. */
function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
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

function pageError({ status, words }: LoginPage): HttpError {
  return new HttpError(status, words);
}

/**
 * Logs what went wrong (status, the problem code and a safe excerpt only) and turns it into a
 * page: a refusal that says why gets its own explanation (present/providerProblem.ts).
 */
function providerFailure(err: ProviderError, req: Request, step: 'request token' | 'access token'): HttpError {
  const problem = err.problem ? ` ${describeProblem(err.problem)}` : '';
  req.log.warn(
    { step, error: err.name, providerStatus: err.status, oauthProblem: err.problem?.code, clockSkewSeconds: err.problem?.clockSkewSeconds, excerpt: err.excerpt },
    `provider failure during ${step}: ${err.name}${err.status ? ` status=${err.status}` : ''}${problem}${err.excerpt ? ` body="${err.excerpt}"` : ''}`,
  );
  if (err instanceof ProviderHttpError) {
    const explained = explainProblem(err.problem, step, `${appOriginOf(req.res!)}${AUTH_CALLBACK_PATH}`);
    return new HttpError(explained.status, { title: explained.title, message: explained.message, advice: explained.advice, action: CONNECT_AGAIN }, { cause: err });
  }
  const unreachable = providerUnreachablePage(err instanceof ProviderTimeoutError);
  return new HttpError(unreachable.status, unreachable.words, { cause: err });
}
