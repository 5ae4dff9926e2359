import { randomBytes } from 'node:crypto';
import { Router, type NextFunction, type Request, type Response } from 'express';

import { requireCsrf } from '../csrf.js';
import { HttpError } from '../httpError.js';
import type { Logger } from '../logger.js';
import { ProviderError } from '../oauth/errors.js';
import { addPendingLogin, takePendingLogin } from '../oauth/pendingLogins.js';
import type { OAuthConsumer } from '../oauth/types.js';
import { SESSION_COOKIE, destroySession, regenerateSession, reloadSession, saveSession } from '../session.js';

export interface AuthDeps {
  consumer: OAuthConsumer;
  /** Browser-facing base of the provider's pages (…/oauth/), with a trailing slash. */
  providerPagesUrl: string;
  defaultAuthPage: 'authorize' | 'authenticate';
  log: Logger;
  now?: () => number;
}

const START_AGAIN = { href: '/auth/login', label: 'Connect with Nexmo again' };

export function authRouter(deps: AuthDeps): Router {
  const now = deps.now ?? Date.now;
  const router = Router();

  /** Gets a request token, remembers it as pending, and sends the browser to the provider. */
  router.get('/auth/login', async (req: Request, res: Response, next: NextFunction) => {
    const page = req.query.page ?? deps.defaultAuthPage;
    if (page !== 'authorize' && page !== 'authenticate') {
      return next(new HttpError(400, { title: 'Unknown sign-in page', message: 'The page parameter must be "authorize" or "authenticate".', action: START_AGAIN }));
    }
    let requestToken;
    try {
      requestToken = await deps.consumer.getRequestToken();
    } catch (err) {
      return next(providerFailure(err, deps.log, 'request token'));
    }
    // Another tab may have started a login while we waited for the provider.
    await reloadSession(req);
    req.session.pendingLogins = addPendingLogin(req.session.pendingLogins, { token: requestToken.token, secret: requestToken.secret, createdAt: now() }, now());
    await saveSession(req);
    const target = new URL(page, deps.providerPagesUrl);
    target.searchParams.set('oauth_token', requestToken.token);
    res.redirect(302, target.toString());
  });

  /** The provider sends the browser back here with the request token and a verifier (or a denial). */
  router.get('/auth/callback', async (req: Request, res: Response, next: NextFunction) => {
    const denied = singleValue(req.query.denied);
    if (denied !== undefined) {
      await reloadSession(req);
      // Only a session that has logins pending has anything to forget; don't create one.
      if (req.session.pendingLogins) {
        req.session.pendingLogins = takePendingLogin(req.session.pendingLogins, denied, now()).rest;
        await saveSession(req);
      }
      return res.status(200).render('message', {
        status: 200,
        tone: 'info',
        page: { title: 'You cancelled the connection', message: 'Nothing was connected and the app holds no access to your Nexmo account.', action: { href: '/', label: 'Back to the start' } },
      });
    }

    const token = singleValue(req.query.oauth_token);
    if (!token) return next(startAgain(403, 'This sign-in link is not valid', 'The link did not say which sign-in it belongs to. Start again from this app.'));

    await reloadSession(req);
    const taken = takePendingLogin(req.session.pendingLogins, token, now());
    if (taken.outcome === 'unknown') return next(startAgain(403, 'This sign-in was not started here', 'This browser did not start that sign-in, or it was already used. Start again from this app.'));
    if (taken.outcome === 'expired') {
      req.session.pendingLogins = taken.rest;
      await saveSession(req);
      return next(startAgain(403, 'This sign-in has expired', 'Sign-ins must be completed within 10 minutes. Start again.'));
    }
    const verifier = singleValue(req.query.oauth_verifier);
    if (!verifier) return next(startAgain(400, 'Nexmo did not confirm the sign-in', 'The answer from Nexmo had no verification code, so nothing was connected. Start again.'));

    // Take the pending login out and store that before the exchange: each can be used once,
    // even if the same callback arrives twice at the same time.
    req.session.pendingLogins = taken.rest;
    await saveSession(req);

    let access;
    try {
      access = await deps.consumer.getAccessToken({ token: taken.login.token, secret: taken.login.secret }, verifier);
    } catch (err) {
      return next(providerFailure(err, deps.log, 'access token'));
    }
    // A new session id at the moment of privilege change defeats session fixation; logins
    // still pending in other tabs come along so they can complete too.
    const stillPending = req.session.pendingLogins;
    await regenerateSession(req);
    req.session.pendingLogins = stillPending;
    req.session.connection = { id: randomBytes(16).toString('hex'), token: access.token, secret: access.secret, extra: access.extra, connectedAt: now() };
    await saveSession(req);
    deps.log('connected: access token obtained');
    res.redirect(302, '/?notice=connected');
  });

  router.post('/auth/logout', requireCsrf, async (req: Request, res: Response) => {
    await destroySession(req);
    res.clearCookie(SESSION_COOKIE);
    res.redirect(303, '/?notice=disconnected');
  });

  return router;
}

/** One string from a query value; repeated or nested parameters count as absent. */
function singleValue(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function startAgain(status: number, title: string, message: string): HttpError {
  return new HttpError(status, { title, message, action: START_AGAIN });
}

/** Logs what went wrong (status and safe excerpt only) and turns it into a 502 page. */
function providerFailure(err: unknown, log: Logger, step: string): HttpError {
  if (!(err instanceof ProviderError)) throw err;
  log(`provider failure during ${step}: ${err.name}${err.status ? ` status=${err.status}` : ''}${err.excerpt ? ` body="${err.excerpt}"` : ''}`);
  const message =
    err.name === 'ProviderTimeoutError'
      ? 'Nexmo did not answer in time, so nothing was connected. Try again in a moment.'
      : err.name === 'ProviderHttpError'
        ? 'Nexmo refused the connection, so nothing was connected. Start again; if it keeps happening, the app may be misconfigured.'
        : 'The app could not talk to Nexmo, so nothing was connected. Try again in a moment.';
  return new HttpError(502, { title: "Couldn't connect to Nexmo", message, action: START_AGAIN }, { cause: err });
}
