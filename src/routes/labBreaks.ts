import type { ActiveSwitch } from '@nexmo-oauth/sandbox';
import { Router, type NextFunction, type Request, type Response } from 'express';

import { csrfToken, requireCsrf } from '../http/csrf.js';
import { HttpError } from '../http/errors.js';
import { withParams } from '../lib/localPath.js';
import { accountName } from '../present/accountName.js';
import { LAB_BREAK_NOTICES, NOT_A_BREAK, NO_SANDBOX_ACCOUNT, armedBreakOf, isLabBreakAction, type LabBreakAction, type LabBreaksLocals } from '../present/labBreaks.js';
import { connectionOf } from './requireConnection.js';

export interface LabBreaksDeps {
  /** The mounted sandbox's switch for one account (Provider.sandboxPress). */
  press: (account: string, action: LabBreakAction) => Promise<void>;
  /** What is on for one account (Provider.sandboxSwitches), to show which break is armed. */
  switchesFor: (account: string) => Promise<ActiveSwitch[]>;
}

/** Where the lab's break-it form posts, below the lab's own mount (/how-it-works). */
export const LAB_BREAK_ROUTE = '/break';

/**
 * Mounted at /how-it-works before the lab's own router, in sandbox mode only (in live mode
 * there is nothing to break: the path is a 404). The sandbox's controls live behind its own
 * sign-in cookie, scoped to /sandbox, so the app presses the switch for its person itself: for
 * the sandbox account the connection was granted for, never one named in the form.
 */
export function labBreaksRouter(deps: LabBreaksDeps): Router {
  const router = Router();

  // The lab page's form needs the session's token and what is armed: given to the page as
  // res.locals.labBreaks (views/partials/lab-breaks.ejs takes them), then on to the lab's router.
  router.get('/', (req: Request, res: Response, next: NextFunction) => {
    const connection = req.session.connection;
    const account = connection && accountName(connection.extra);
    if (account === undefined) return next();
    deps.switchesFor(account).then(
      (on) => {
        res.locals.labBreaks = { csrfToken: csrfToken(req), armed: armedBreakOf(on) } satisfies LabBreaksLocals;
        next();
      },
      // A store that cannot say what is armed costs the armed line, never the page.
      (err: unknown) => {
        req.log.warn(`could not read the demo switches for the lab: ${err instanceof Error ? err.message : 'error'}`);
        res.locals.labBreaks = { csrfToken: csrfToken(req), armed: undefined } satisfies LabBreaksLocals;
        next();
      },
    );
  });

  // Not connected (any more): connect first, then back to the lab, which has the buttons.
  const connectFirst = (req: Request, res: Response, next: NextFunction) =>
    req.session.connection ? next() : res.redirect(303, withParams('/', { notice: 'connect-first', return: '/how-it-works' }));

  router.post(LAB_BREAK_ROUTE, connectFirst, requireCsrf, async (req: Request, res: Response, next: NextFunction) => {
    const action = (req.body as Record<string, unknown> | undefined)?.action;
    if (!isLabBreakAction(action)) return next(new HttpError(400, NOT_A_BREAK));
    const account = accountName(connectionOf(req).extra);
    if (account === undefined) return next(new HttpError(400, NO_SANDBOX_ACCOUNT));
    await deps.press(account, action);
    req.log.info({ action }, `lab: ${action} pressed for the connected sandbox account`);
    // Post/redirect/get: a reload shows the lab again instead of pressing twice.
    res.redirect(303, `/how-it-works?notice=${LAB_BREAK_NOTICES[action]}#break`);
  });

  return router;
}
