import type { Request } from 'express';

import { HttpError } from '../http/errors.js';
import { appOriginOf } from '../http/hosts.js';
import { AUTH_CALLBACK_PATH } from './paths.js';
import { describeProblem } from '../oauth/problems.js';
import type { RefusedOutcome } from '../nexmo/types.js';
import { explainProblem } from '../present/providerProblem.js';

/**
 * A signed API call Nexmo refused with a named problem that leaves the connection standing (a
 * clock off, a key refused): logged with its code for the operator, explained to the person.
 */
export function apiRefusal(req: Request, call: 'send' | 'balance', refused: RefusedOutcome): HttpError {
  const { problem } = refused;
  req.log.warn({ call, oauthProblem: problem.code, clockSkewSeconds: problem.clockSkewSeconds }, `provider refused the ${call} call: ${describeProblem(problem)}`);
  const explained = explainProblem(problem, 'api', `${req.res ? appOriginOf(req.res) : ''}${AUTH_CALLBACK_PATH}`);
  return new HttpError(explained.status, { title: explained.title, message: explained.message, advice: explained.advice, action: { href: '/sms', label: 'Try the form again' } }, { cause: refused });
}
