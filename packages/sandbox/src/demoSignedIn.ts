/** What every signed-in demo page needs: the session (or the way to the sign-in) and its links. */
import type { Request, Response } from 'express';
import type { SandboxContext } from './context.js';
import { CONTROLS_PATH, OUTBOX_PATH, SIGN_IN_PATH } from './demoPaths.js';
import type { PageName } from './demoPaths.js';
import type { SandboxSession } from './sessions.js';

/** Links every signed-in page shows: the other page, switching account, the app. */
export function navLocals(context: SandboxContext, req: Request, session: SandboxSession, current: PageName) {
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
export async function sessionOrSignIn(context: SandboxContext, req: Request, res: Response, page: PageName): Promise<SandboxSession | undefined> {
  const session = await context.sessions.find(req);
  if (session === undefined) res.set('Cache-Control', 'no-store').redirect(303, `${req.baseUrl}${SIGN_IN_PATH}?next=${page}`);
  return session;
}
