/**
 * The demo controls page: the test numbers, the balance, the calls that can be held and the
 * app's clock, for the signed-in account, with what the last control did.
 */
import type { Request, Response } from 'express';
import { CLOCK_SHIFT_MS } from './clock.js';
import type { SandboxContext } from './context.js';
import { CALL_NAMES, DELAYED_CALLS, isDelayedCall } from './delays.js';
import { CONTROLS_PATH } from './demoPaths.js';
import { navLocals, sessionOrSignIn } from './demoSignedIn.js';
import { renderPage } from './pages.js';
import { TEST_NUMBERS } from './testNumbers.js';

/** GET /controls: the page, for the signed-in account. */
export function controlsPage(context: SandboxContext) {
  return async function controlsPageHandler(req: Request, res: Response): Promise<void> {
    const session = await sessionOrSignIn(context, req, res, 'controls');
    if (session === undefined) return;
    const [balanceUnits, armed, clockShiftMs, broken] = await Promise.all([
      context.accounts.balance(session.account),
      context.delays.armed(session.account),
      context.clock.shiftMs(session.account),
      context.breaks.armed(session.account),
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
      // The sandbox's own limit, and the host app's word on its own (a standalone sandbox has none).
      maxPerSecond: context.maxRequestsPerSecond,
      limitsNote: context.hostApp?.limitsNote,
      calls: DELAYED_CALLS.map((call) => ({ call, name: CALL_NAMES[call], armed: armed[call] })),
      anyArmed: Object.keys(armed).length > 0,
      slow: seconds(context.delays.slowMs),
      stallLimit: seconds(context.delays.stallLimitMs),
      clockOff: clockShiftMs !== 0,
      clockShift: minutes(CLOCK_SHIFT_MS),
      broken,
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
      return isDelayedCall(call) ? `The next call ${CALL_NAMES[call]} will wait ${seconds(context.delays.slowMs)} before answering.` : undefined;
    case 'stall':
      return isDelayedCall(call) ? `The next call ${CALL_NAMES[call]} will not be answered until the app gives up (at most ${seconds(context.delays.stallLimitMs)}).` : undefined;
    case 'cancel-delays':
      return 'No call will be held any more.';
    case 'clock-off':
      return `The sandbox now judges this account’s signed calls as if the app’s clock were ${minutes(CLOCK_SHIFT_MS)} behind: each one is refused with timestamp_refused until you set it right. Other accounts are not affected.`;
    case 'clock-right':
      return 'For this account, the sandbox judges timestamps by its own clock again: signed calls are accepted as usual.';
    case 'break-signature':
      return 'The next signed call for this account will be refused with oauth_problem=signature_invalid, as if its signature did not match. The call after it goes through.';
    case 'break-nonce':
      return 'The next signed call for this account will be refused with oauth_problem=nonce_used, as a replay. The call after it goes through.';
    case 'break-token':
      return 'The app’s access token for this account is revoked: its next call gets HTTP 401, and it has to connect again.';
    case 'cancel-break':
      return 'No call will be broken: the next one goes through as usual.';
    default:
      return undefined;
  }
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
