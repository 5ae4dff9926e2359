/**
 * What the demo controls do when pressed (POST /controls): reset the balance, revoke the app's
 * access, hold the next call, set the app's clock off or right, break the next signed call on
 * purpose (breaks.ts); then back to the page, which says what was done.
 */
import type { Request, Response } from 'express';
import type { SandboxContext } from './context.js';
import { isDelayedCall } from './delays.js';
import { CROSS_SITE, UNKNOWN_CONTROL, fields, fromOwnPage } from './demoForms.js';
import { CONTROLS_PATH } from './demoPaths.js';
import { sessionOrSignIn } from './demoSignedIn.js';
import { renderProblemPage } from './pages.js';
import { PRESSABLE_CONTROLS, press } from './press.js';
import { safeEqual } from './rfc5849.js';

const ACTIONS = ['reset-balance', 'revoke', 'slow', 'stall', 'cancel-delays', 'clock-off', 'clock-right', ...PRESSABLE_CONTROLS] as const;
type Action = (typeof ACTIONS)[number];

function isAction(value: string | undefined): value is Action {
  return (ACTIONS as readonly string[]).includes(value ?? '');
}

export function control(context: SandboxContext) {
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
      // The break-it switches, which a host app may also press for its person (press.ts).
      case 'break-signature':
      case 'break-nonce':
      case 'break-token':
      case 'cancel-break':
        await press(context, account, action);
        break;
      case 'slow':
      case 'stall': {
        const call = body.get('call') ?? 'sms';
        if (!isDelayedCall(call)) return renderProblemPage(req, res, UNKNOWN_CONTROL);
        await context.delays.arm(account, call, action);
        query += `&call=${call}`;
        break;
      }
      case 'cancel-delays':
        await context.delays.disarm(account);
        break;
      case 'clock-off':
        await context.clock.shift(account);
        break;
      case 'clock-right':
        await context.clock.reset(account);
        break;
    }
    context.log(`sandbox: demo control used: ${action}`);
    // Post/redirect/get: a refresh shows the page again instead of pressing the control twice.
    res.set('Cache-Control', 'no-store').redirect(303, `${req.baseUrl}${CONTROLS_PATH}?${query}#result`);
  };
}
