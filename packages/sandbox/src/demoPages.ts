/**
 * The sandbox's pages for people running a demo, behind the sandbox's own sign-in
 * (sessions.ts): the outbox of the signed-in account, and the demo controls (test numbers,
 * balance reset, revoking the app's access, slow and stalled calls, the app's clock off).
 *
 * Every POST must come from the sandbox's own pages: the controls carry the session's token in
 * each form, and both they and the sign-in refuse requests a browser marks as cross-site
 * (Sec-Fetch-Site), so another site can neither press a control nor sign a visitor in to an
 * account of its choosing.
 */
import express from 'express';
import type { ErrorRequestHandler, Request, Response, Router } from 'express';
import { accountPickerLocals, chosenAccount } from './accounts.js';
import type { SandboxContext } from './context.js';
import { CLOCK_SHIFT_MS } from './clock.js';
import { CALL_NAMES, DELAYED_CALLS } from './delays.js';
import type { DelayedCall } from './delays.js';
import { renderPage, renderProblemPage } from './pages.js';
import type { ProblemPage } from './pages.js';
import { safeEqual } from './rfc5849.js';
import type { SandboxSession } from './sessions.js';
import { isBodyParseError } from './signedRequest.js';
import { TEST_NUMBERS } from './testNumbers.js';

/** Paths of the pages, relative to where the sandbox is mounted (e.g. /sandbox/controls). */
export const OUTBOX_PATH = '/outbox';
export const CONTROLS_PATH = '/controls';
export const SIGN_IN_PATH = '/signin';

/** The pages a sign-in may return to, by the name the `next` field carries. */
const PAGES = { outbox: OUTBOX_PATH, controls: CONTROLS_PATH } as const;
type PageName = keyof typeof PAGES;

export function mountDemoPages(router: Router, context: SandboxContext): void {
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 });
  router.route(SIGN_IN_PATH).get(signInPage(context)).post(form, signIn(context), formError);
  router.get(OUTBOX_PATH, outboxPage(context));
  router.route(CONTROLS_PATH).get(controlsPage(context)).post(form, control(context), formError);
}

function pageName(value: unknown): PageName {
  return value === 'controls' ? 'controls' : 'outbox';
}

/** Links every signed-in page shows: the other page, switching account, the app. */
function navLocals(context: SandboxContext, req: Request, session: SandboxSession, current: PageName) {
  return {
    account: session.account,
    current,
    outboxHref: `${req.baseUrl}${OUTBOX_PATH}`,
    controlsHref: `${req.baseUrl}${CONTROLS_PATH}`,
    switchHref: `${req.baseUrl}${SIGN_IN_PATH}?next=${current}`,
    appHome: context.hostApp?.home,
  };
}

/** The signed-in session, or a redirect to the sign-in that comes back to `page`. */
async function sessionOrSignIn(context: SandboxContext, req: Request, res: Response, page: PageName): Promise<SandboxSession | undefined> {
  const session = await context.sessions.find(req);
  if (session === undefined) res.set('Cache-Control', 'no-store').redirect(303, `${req.baseUrl}${SIGN_IN_PATH}?next=${page}`);
  return session;
}

/** Sec-Fetch-Site, when the browser sends it, says whether the form was on the sandbox's own page. */
function fromOwnPage(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  return site === undefined || site === 'same-origin';
}

function fields(req: Request): Map<string, string> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const map = new Map<string, string>();
  for (const [name, value] of Object.entries(body)) if (typeof value === 'string') map.set(name, value);
  return map;
}

// ---------------------------------------------------------------------------------------------
// Sign-in

function signInPage(context: SandboxContext) {
  return async function signInPageHandler(req: Request, res: Response): Promise<void> {
    const session = await context.sessions.find(req);
    showSignIn(context, req, res, pageName(req.query['next']), session?.account);
  };
}

function showSignIn(
  context: SandboxContext,
  req: Request,
  res: Response,
  next: PageName,
  current: string | undefined,
  refused?: { selected: string; typed: string },
): void {
  // Switching account starts from the account already chosen.
  const picker = accountPickerLocals(refused, current);
  renderPage(
    req,
    res,
    'signin',
    { ...picker, action: `${req.baseUrl}${SIGN_IN_PATH}`, next, current, appHome: context.hostApp?.home },
    { status: refused === undefined ? 200 : 400 },
  );
}

function signIn(context: SandboxContext) {
  return async function signInHandler(req: Request, res: Response): Promise<void> {
    if (!fromOwnPage(req)) return renderProblemPage(req, res, CROSS_SITE);
    const body = fields(req);
    const next = pageName(body.get('next'));
    const choice = chosenAccount(body);
    if (!choice.ok) {
      const current = (await context.sessions.find(req))?.account;
      return showSignIn(context, req, res, next, current, choice);
    }
    await context.sessions.start(req, res, choice.account);
    context.log('sandbox: signed in to the outbox and controls');
    res.set('Cache-Control', 'no-store').redirect(303, `${req.baseUrl}${PAGES[next]}`);
  };
}

// ---------------------------------------------------------------------------------------------
// Outbox

/** GET /outbox: what the sandbox delivered for the signed-in account, newest first. */
function outboxPage(context: SandboxContext) {
  return async function outboxPageHandler(req: Request, res: Response): Promise<void> {
    const session = await sessionOrSignIn(context, req, res, 'outbox');
    if (session === undefined) return;
    const entries = (await context.outbox.list()).filter((entry) => entry.account === session.account);
    renderPage(req, res, 'outbox', { entries, ...navLocals(context, req, session, 'outbox') });
  };
}

// ---------------------------------------------------------------------------------------------
// Demo controls

const ACTIONS = ['reset-balance', 'revoke', 'slow', 'stall', 'cancel-delays', 'clock-off', 'clock-right'] as const;
type Action = (typeof ACTIONS)[number];

function isAction(value: string | undefined): value is Action {
  return (ACTIONS as readonly string[]).includes(value ?? '');
}

function isCall(value: string | undefined): value is DelayedCall {
  return (DELAYED_CALLS as readonly string[]).includes(value ?? '');
}

function euros(units: number): string {
  return `€${(units / 100_000_000).toFixed(2)}`;
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

function minutes(ms: number): string {
  return `${ms / 60_000} minutes`;
}

function controlsPage(context: SandboxContext) {
  return async function controlsPageHandler(req: Request, res: Response): Promise<void> {
    const session = await sessionOrSignIn(context, req, res, 'controls');
    if (session === undefined) return;
    const [balanceUnits, armed, clockShiftMs] = await Promise.all([
      context.accounts.balance(session.account),
      context.delays.armed(session.account),
      context.clock.shiftMs(),
    ]);
    const smsForm = context.hostApp?.smsForm;
    renderPage(req, res, 'controls', {
      ...navLocals(context, req, session, 'controls'),
      action: `${req.baseUrl}${CONTROLS_PATH}`,
      csrf: session.csrf,
      notice: notice(req, context),
      balance: euros(balanceUnits),
      startingBalance: euros(context.accounts.startingUnits),
      numbers: TEST_NUMBERS.map((n) => ({ ...n, useHref: smsForm === undefined ? undefined : `${smsForm}?to=${n.digits}` })),
      calls: DELAYED_CALLS.map((call) => ({ call, name: CALL_NAMES[call], armed: armed[call] })),
      anyArmed: Object.keys(armed).length > 0,
      slow: seconds(context.delays.slowMs),
      stallLimit: seconds(context.delays.stallLimitMs),
      clockOff: clockShiftMs !== 0,
      clockShift: minutes(CLOCK_SHIFT_MS),
    });
  };
}

/** What the last control did, from the redirect after it (only known values are shown). */
function notice(req: Request, context: SandboxContext): string | undefined {
  const done = typeof req.query['done'] === 'string' ? req.query['done'] : undefined;
  const call = typeof req.query['call'] === 'string' ? req.query['call'] : undefined;
  switch (done) {
    case 'reset-balance':
      return `The balance is back to ${euros(context.accounts.startingUnits)}.`;
    case 'revoke':
      return 'The app’s access is revoked: its next call with this account’s tokens gets HTTP 401, and it has to connect again.';
    case 'slow':
      return isCall(call) ? `The next call ${CALL_NAMES[call]} will wait ${seconds(context.delays.slowMs)} before answering.` : undefined;
    case 'stall':
      return isCall(call) ? `The next call ${CALL_NAMES[call]} will not be answered until the app gives up (at most ${seconds(context.delays.stallLimitMs)}).` : undefined;
    case 'cancel-delays':
      return 'No call will be held any more.';
    case 'clock-off':
      return `The sandbox now judges every signed call as if the app’s clock were ${minutes(CLOCK_SHIFT_MS)} behind: each one is refused with timestamp_refused until you set it right.`;
    case 'clock-right':
      return 'The sandbox judges timestamps by its own clock again: signed calls are accepted as usual.';
    default:
      return undefined;
  }
}

function control(context: SandboxContext) {
  return async function controlHandler(req: Request, res: Response): Promise<void> {
    if (!fromOwnPage(req)) return renderProblemPage(req, res, CROSS_SITE);
    const session = await sessionOrSignIn(context, req, res, 'controls');
    if (session === undefined) return;
    const body = fields(req);
    if (!safeEqual(body.get('csrf') ?? '', session.csrf)) {
      context.log('sandbox: control refused: the form did not come from the controls page');
      return renderProblemPage(req, res, CROSS_SITE);
    }
    const action = body.get('action');
    if (!isAction(action)) return renderProblemPage(req, res, UNKNOWN_CONTROL);
    const { account } = session;
    let query = `done=${action}`;
    switch (action) {
      case 'reset-balance':
        await context.accounts.reset(account);
        break;
      case 'revoke':
        await context.accessTokens.revokeAll(account);
        break;
      case 'slow':
      case 'stall': {
        const call = body.get('call') ?? 'sms';
        if (!isCall(call)) return renderProblemPage(req, res, UNKNOWN_CONTROL);
        await context.delays.arm(account, call, action);
        query += `&call=${call}`;
        break;
      }
      case 'cancel-delays':
        await context.delays.disarm(account);
        break;
      case 'clock-off':
        await context.clock.shift();
        break;
      case 'clock-right':
        await context.clock.reset();
        break;
    }
    context.log(`sandbox: demo control used: ${action}`);
    // Post/redirect/get: a refresh shows the page again instead of pressing the control twice.
    res.set('Cache-Control', 'no-store').redirect(303, `${req.baseUrl}${CONTROLS_PATH}?${query}#result`);
  };
}

const formError: ErrorRequestHandler = (err, req, res, next) => {
  if (!isBodyParseError(err)) return next(err);
  renderProblemPage(req, res, UNKNOWN_CONTROL);
};

const CROSS_SITE: ProblemPage = {
  status: 403,
  title: 'This form did not come from the sandbox',
  message: 'For your safety, the sandbox only takes forms sent from its own pages. Open the sandbox’s page again and use the form there.',
};
const UNKNOWN_CONTROL: ProblemPage = {
  status: 400,
  title: 'This request could not be read',
  message: 'The form was not in a shape the sandbox understands. Open the demo controls again and use the form there.',
};
