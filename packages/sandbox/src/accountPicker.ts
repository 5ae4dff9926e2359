/**
 * The account picker of the consent page and the sandbox sign-in (views/partials/accounts.ejs):
 * "an account of your own", with a name in a text field, or one of the shared demo accounts.
 * Nothing shared is preselected for a browser that has not chosen: its own account is, with a
 * fresh name suggested (accountNames.ts). A browser that chose before gets its last choice again,
 * kept in the sandbox's own long-lived cookie (and the signed-in sandbox session, which counts
 * as a choice too).
 *
 * What a posted picker means, in order:
 * - a name typed in the field (anything but the name the page filled in) wins over the radio
 *   buttons, so typing a name is enough whichever button was left checked;
 * - otherwise the radio button: a shared account, or "your own" with the name in the field
 *   (the suggestion as shown), which must then not be empty;
 * - no account field at all (a client that posts only the decision): a fresh name, never a
 *   shared account.
 */
import type { Request, Response } from 'express';
import { ACCOUNT_NAME_RULE, DEMO_ACCOUNTS, isAccountName, normalizeAccountName } from './accountNames.js';
import type { AccountNames } from './accountNames.js';
import { cookieValue, sandboxCookie } from './cookies.js';

/** The value of the radio button "an account of your own": the name is in the `account_name` field. */
export const OWN_ACCOUNT = '';

/** The browser's last choice: the account name only, nothing else. */
export const ACCOUNT_COOKIE = 'nexmo_sandbox_account';
/** A month of demos: long enough to come back to, short enough to be forgotten. */
export const ACCOUNT_COOKIE_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** A pick that broke the name rule, kept as posted so the page can show it again. */
export interface RefusedPick {
  readonly selected: string;
  readonly typed: string;
}

/** `account` undefined: nothing was chosen at all, so the chooser gets a fresh name. */
export type AccountChoice = { ok: true; account: string | undefined } | ({ ok: false } & RefusedPick);

export function chosenAccount(fields: ReadonlyMap<string, string>): AccountChoice {
  const radio = fields.get('account');
  const typed = fields.get('account_name') ?? '';
  const shown = fields.get('account_name_shown');
  const edited = typed.trim() !== '' && (shown === undefined || typed.trim() !== shown.trim());
  const refused = { ok: false as const, selected: radio ?? OWN_ACCOUNT, typed };
  if (edited || radio === undefined || radio === OWN_ACCOUNT) {
    if (typed.trim() === '') return radio === undefined ? { ok: true, account: undefined } : refused;
    const account = normalizeAccountName(typed);
    return account === undefined ? refused : { ok: true, account };
  }
  const account = normalizeAccountName(radio);
  return account === undefined ? refused : { ok: true, account };
}

/** The account this browser chose last, from the sandbox's cookie; undefined when none (or not a valid name). */
export function rememberedAccount(req: Request): string | undefined {
  const value = cookieValue(req, ACCOUNT_COOKIE);
  return isAccountName(value) ? value : undefined;
}

/**
 * A choice went through (Authorize, or the sandbox sign-in): the browser's next picker starts
 * from it, and the name is never suggested to anybody else.
 */
export async function rememberChoice(names: AccountNames, req: Request, res: Response, account: string): Promise<void> {
  await names.markUsed(account);
  res.cookie(ACCOUNT_COOKIE, account, sandboxCookie(req, ACCOUNT_COOKIE_TTL_MS));
}

/**
 * What the picker partial needs. A refused pick is shown as posted, so only the name needs
 * fixing; otherwise the picker starts from `current` (the account of the browser's sandbox
 * session), else the remembered choice, else a fresh name of its own.
 */
export async function pickerLocals(names: AccountNames, req: Request, current: string | undefined, refused?: RefusedPick): Promise<Record<string, unknown>> {
  const base = { accounts: DEMO_ACCOUNTS, own: OWN_ACCOUNT };
  if (refused !== undefined) {
    const shared = DEMO_ACCOUNTS.includes(refused.selected);
    // A bad name posted as the radio value (a script) is shown in the field, where it can be fixed.
    const ownName = refused.typed !== '' || shared ? refused.typed : refused.selected;
    return { ...base, selected: shared ? refused.selected : OWN_ACCOUNT, ownName, ownLabel: OWN_LABEL, ownHint: TYPE_HINT, accountError: ACCOUNT_NAME_RULE };
  }
  const last = current ?? rememberedAccount(req);
  if (last !== undefined && !DEMO_ACCOUNTS.includes(last)) {
    return { ...base, selected: OWN_ACCOUNT, ownName: last, ownLabel: OWN_LABEL, ownHint: LAST_HINT, accountError: undefined };
  }
  return { ...base, selected: last ?? OWN_ACCOUNT, ownName: await names.suggest(), ownLabel: NEW_LABEL, ownHint: FRESH_HINT, accountError: undefined };
}

const NEW_LABEL = 'A new account of your own';
const OWN_LABEL = 'Your own account';
const FRESH_HINT = 'A name made up for you that nobody has picked yet. Keep it, or type a name of your own.';
const LAST_HINT = 'The account this browser picked last time. Type another name to use another account.';
const TYPE_HINT = 'Type a name for your account, or pick a shared one below.';
