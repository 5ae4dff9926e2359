/** The sandbox's sign-in: pick an account for the outbox and the controls, then go back to the page asked for. */
import type { Request, Response } from 'express';
import { chosenAccount, pickerLocals, rememberChoice } from './accountPicker.js';
import type { RefusedPick } from './accountPicker.js';
import type { SandboxContext } from './context.js';
import { CROSS_SITE, fields, fromOwnPage } from './demoForms.js';
import { PAGES, SIGN_IN_PATH, pageName } from './demoPaths.js';
import type { PageName } from './demoPaths.js';
import { renderPage, renderProblemPage } from './pages.js';

/** GET /signin: the account picker, starting from the account already chosen. */
export function signInPage(context: SandboxContext) {
  return async function signInPageHandler(req: Request, res: Response): Promise<void> {
    const session = await context.sessions.find(req);
    await showSignIn(context, req, res, pageName(req.query['next']), session?.account);
  };
}

async function showSignIn(
  context: SandboxContext,
  req: Request,
  res: Response,
  next: PageName,
  current: string | undefined,
  refused?: RefusedPick,
): Promise<void> {
  // Switching account starts from the account already chosen.
  const picker = await pickerLocals(context.accountNames, req, current, refused);
  renderPage(
    req,
    res,
    'signin',
    { ...picker, action: `${req.baseUrl}${SIGN_IN_PATH}`, next, current, appHome: context.hostApp?.home },
    { status: refused === undefined ? 200 : 400 },
  );
}

/** POST /signin: starts a session on the chosen account, or shows the picker again saying why not. */
export function signIn(context: SandboxContext) {
  return async function signInHandler(req: Request, res: Response): Promise<void> {
    if (!fromOwnPage(req)) return renderProblemPage(req, res, CROSS_SITE);
    const body = fields(req);
    const next = pageName(body.get('next'));
    const choice = chosenAccount(body);
    if (!choice.ok) {
      const current = (await context.sessions.find(req))?.account;
      return showSignIn(context, req, res, next, current, choice);
    }
    // Nothing chosen at all: an account of its own, as on the consent page.
    const account = choice.account ?? (await context.accountNames.suggest());
    await context.sessions.start(req, res, account);
    await rememberChoice(context.accountNames, req, res, account);
    context.log('sandbox: signed in to the outbox and controls');
    res.set('Cache-Control', 'no-store').redirect(303, `${req.baseUrl}${PAGES[next]}`);
  };
}
