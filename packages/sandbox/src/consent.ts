/**
 * The user-facing step of RFC 5849 §2.2: a consent page naming the client, where the person
 * also picks the sandbox account to sign in as, and the decision. `authenticate` behaves like
 * `authorize`: the sandbox remembers no earlier grant that would let it skip the question (its
 * sign-in for the outbox and demo controls never grants an app anything; approving signs the
 * browser in to it as the approved account). The account picker starts from this browser's last
 * choice, or from a fresh account of its own (accountPicker.ts): never from a shared one.
 */
import type { ErrorRequestHandler, Request, Response, Router } from 'express';
import { chosenAccount, pickerLocals, rememberChoice } from './accountPicker.js';
import type { RefusedPick } from './accountPicker.js';
import { bodyParsers, readSignedRequest, isBodyParseError } from './signedRequest.js';
import { renderPage, renderProblemPage } from './pages.js';
import type { ProblemPage } from './pages.js';
import { ParameterSyntaxError, percentEncode, safeEqual } from './rfc5849.js';
import type { SandboxContext } from './context.js';
import type { RequestToken } from './tokens.js';

const SCOPES = ['Send SMS messages from your Nexmo account', 'Read your account balance'];

export function mountConsentRoutes(router: Router, context: SandboxContext): void {
  const parse = bodyParsers();
  const handler = consent(context);
  for (const path of ['/oauth/authorize', '/oauth/authenticate']) {
    router.route(path).get(handler).post(...parse, handler, consentBodyError);
  }
}

function consent(context: SandboxContext) {
  return async function consentHandler(req: Request, res: Response): Promise<void> {
    let fields: Map<string, string>;
    try {
      fields = readFields(req);
    } catch (err) {
      if (!(err instanceof ParameterSyntaxError)) throw err;
      return renderProblemPage(req, res, UNREADABLE);
    }

    const token = fields.get('oauth_token');
    if (!token) return renderProblemPage(req, res, NO_TOKEN);
    const found = await context.requestTokens.find(token);
    if (!found.ok) {
      // A page left open too long: the app is still where the person came from.
      const callback = found.reason === 'unknown' ? undefined : await context.requestTokens.callbackOf(token);
      // Used means exchanged, which only an approved token can be (a denied one is forgotten).
      const page = found.reason === 'used' ? APPROVED : TOKEN_PAGES[found.reason];
      return renderProblemPage(req, res, withWayBack(page, callback));
    }
    const record = found.record;
    // Back (or a refresh) after approving: nothing is wrong, the app carries on.
    if (record.state !== 'pending') return renderProblemPage(req, res, withWayBack(APPROVED, record.callback));

    const decision = req.method === 'POST' ? fields.get('decision') : undefined;
    if (decision === undefined) return showConsent(context, req, res, record, undefined, (await context.sessions.find(req))?.account);

    // The nonce only ever appears in the page rendered above, which a third-party page cannot
    // read, so a cross-site POST cannot carry it.
    if (!safeEqual(fields.get('consent_nonce') ?? '', record.consentNonce)) {
      context.log('sandbox: consent refused: the form did not come from the consent page');
      return renderProblemPage(req, res, withWayBack(FORGED, record.callback));
    }
    if (decision === 'authorize') {
      const choice = chosenAccount(fields);
      if (!choice.ok) return showConsent(context, req, res, record, choice);
      // Nothing chosen at all (a script posting only the decision): an account of its own.
      return authorize(context, req, res, record, choice.account ?? (await context.accountNames.suggest()));
    }
    if (decision === 'deny') return deny(context, req, res, record);
    return renderProblemPage(req, res, UNREADABLE);
  };
}

async function showConsent(
  context: SandboxContext,
  req: Request,
  res: Response,
  record: RequestToken,
  refused?: RefusedPick,
  /** The account this browser is signed in to the sandbox as: preselected. */
  current?: string,
): Promise<void> {
  // A refused pick keeps what the person chose, so they only need to fix the name.
  const picker = await pickerLocals(context.accountNames, req, current, refused);
  renderPage(
    req,
    res,
    'consent',
    {
      appName: context.appName,
      scopes: SCOPES,
      action: `${req.baseUrl}${req.path}`,
      token: record.token,
      consentNonce: record.consentNonce,
      ...picker,
    },
    {
      status: refused === undefined ? 200 : 400,
      formTargets: record.callback === 'oob' ? [] : [new URL(record.callback).origin],
    },
  );
}

async function authorize(context: SandboxContext, req: Request, res: Response, record: RequestToken, account: string): Promise<void> {
  const verifier = await context.requestTokens.authorize(record, account);
  // Another submission of the same form got there first.
  if (verifier === undefined) return renderProblemPage(req, res, withWayBack(TOKEN_PAGES.used, record.callback));
  context.log('sandbox: request token authorized');
  // The person just chose this account: its outbox and controls open without asking again. The
  // form carried the consent nonce, so no other site can sign a browser in this way.
  await context.sessions.signInAs(req, res, account);
  // This browser's next consent page (or sign-in) starts from this account.
  await rememberChoice(context.accountNames, req, res, account);
  if (record.callback === 'oob') {
    return renderPage(req, res, 'verifier', { appName: context.appName, verifier });
  }
  res.set('Cache-Control', 'no-store').redirect(302, withParams(record.callback, { oauth_token: record.token, oauth_verifier: verifier }));
}

async function deny(context: SandboxContext, req: Request, res: Response, record: RequestToken): Promise<void> {
  if (!(await context.requestTokens.deny(record))) return renderProblemPage(req, res, withWayBack(TOKEN_PAGES.used, record.callback));
  context.log('sandbox: request token denied');
  if (record.callback === 'oob') {
    return renderPage(req, res, 'denied', { appName: context.appName });
  }
  res.set('Cache-Control', 'no-store').redirect(302, withParams(record.callback, { denied: record.token }));
}

/**
 * Appends parameters to the callback without touching its existing query (URLSearchParams would
 * re-serialise it, turning `%20` into `+`, and the client may compare those bytes), and keeps
 * any fragment at the end where it belongs.
 */
export function withParams(callback: string, params: Record<string, string>): string {
  const hash = callback.indexOf('#');
  const base = hash === -1 ? callback : callback.slice(0, hash);
  const fragment = hash === -1 ? '' : callback.slice(hash);
  const added = Object.entries(params)
    .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
    .join('&');
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${added}${fragment}`;
}

/** The query (and, for POST, the form body) read by the sandbox's own parser; body wins. */
function readFields(req: Request): Map<string, string> {
  const collected = readSignedRequest(req);
  const fields = new Map<string, string>();
  for (const [name, value] of collected.queryParams) if (!fields.has(name)) fields.set(name, value);
  for (const [name, value] of collected.formParams) fields.set(name, value);
  return fields;
}

const consentBodyError: ErrorRequestHandler = (err, req, res, next) => {
  if (!isBodyParseError(err)) return next(err);
  renderProblemPage(req, res, UNREADABLE);
};

/**
 * "Go back to the app" with a link to it: the root of the callback's origin, the only address of
 * the app the sandbox knows. None for "oob", whose app has no address.
 */
function withWayBack(page: ProblemPage, callback: string | undefined): ProblemPage {
  if (callback === undefined || callback === 'oob') return page;
  let origin: string;
  try {
    origin = new URL(callback).origin;
  } catch {
    return page;
  }
  return { ...page, action: { href: `${origin}/`, label: 'Go back to the app' } };
}

const START_AGAIN = 'Go back to the app and connect again; it will send you here with a fresh request.';

const NO_TOKEN: ProblemPage = {
  status: 400,
  title: 'Nothing to approve',
  message: `This page needs a sign-in request from an app, and none came with it. ${START_AGAIN}`,
};
const UNREADABLE: ProblemPage = {
  status: 400,
  title: 'This request could not be read',
  message: `The sign-in request was damaged on the way here. ${START_AGAIN}`,
};
const FORGED: ProblemPage = {
  status: 403,
  title: 'This approval did not come from this page',
  message: `For your safety, only the buttons on the sandbox's own consent page can approve access. ${START_AGAIN}`,
};
const TOKEN_PAGES: Record<'unknown' | 'expired' | 'used', ProblemPage> = {
  unknown: {
    status: 400,
    title: 'This sign-in request is not valid',
    message: `The sandbox does not recognise this sign-in request. ${START_AGAIN}`,
  },
  expired: {
    status: 400,
    title: 'This sign-in request has expired',
    message: `Sign-in requests are only valid for a few minutes. ${START_AGAIN}`,
  },
  used: {
    status: 400,
    title: 'This sign-in request was already answered',
    message: 'Each sign-in request can be approved or denied once, and this one was answered from another page. Go back to the app: if it was approved, the app is connected; if not, connect again from there.',
  },
};
/** The page again after approving it (Back, refresh): a way back to the app, not a failure. */
const APPROVED: ProblemPage = {
  status: 400,
  title: 'This sign-in request was already answered',
  message: 'You already approved this request, so there is nothing more to do here. Go back to the app: it carries on from where you approved.',
};
