/**
 * Nexmo's REST API as the sandbox plays it: `/sms/json` and `/account/get-balance`, both
 * signed with an access token instead of api_key/api_secret.
 *
 * Failure shapes follow Nexmo: credentials that are no good get HTTP 401 with a JSON body (the
 * app can then disconnect the user); a request that is merely wrong gets HTTP 200 with a status
 * code in the message entry, as Nexmo answers most errors.
 */
import type { ErrorRequestHandler, Request, Response, Router } from 'express';
import { formatUnits } from './accounts.js';
import { stateClock } from './clock.js';
import { bodyParsers, readSignedRequest, isBodyParseError } from './signedRequest.js';
import type { SignedRequest } from './signedRequest.js';
import { isCredentialProblem, problem, tokenProblem, REALM } from './problems.js';
import type { Problem } from './problems.js';
import { ParameterSyntaxError } from './rfc5849.js';
import { countSegments } from './segments.js';
import { readSms } from './smsRequest.js';
import { outcomeFor } from './testNumbers.js';
import type { SmsRefusal } from './smsRequest.js';
import type { SandboxContext } from './context.js';
import type { TokenLookup, Verified } from './verifier.js';

/** The network code reported for every recipient (a UK mobile network, as in Nexmo's docs). */
const NETWORK = '23410';

export function mountSmsApi(router: Router, context: SandboxContext): void {
  const parse = bodyParsers();
  router.route('/sms/json').get(...parse, sendSms(context), apiBodyError).post(...parse, sendSms(context), apiBodyError);
  router.get('/account/get-balance', getBalance(context));
}

type Authenticated = { ok: true; verified: Verified; token: string; account: string } | { ok: false; problem: Problem };

/**
 * Verifies the call; its reply states the clock it was judged by (the access token's account's,
 * which the demo controls may have moved).
 */
async function authenticate(context: SandboxContext, req: Request, res: Response): Promise<{ collected?: SignedRequest; auth: Authenticated }> {
  const lookup: TokenLookup = async (token, consumerKey) => {
    const found = await context.accessTokens.find(token);
    if (!found.ok || found.record.consumerKey !== consumerKey) return tokenProblem('unknown');
    return { secret: found.record.secret, account: found.record.username };
  };
  let collected: SignedRequest;
  try {
    collected = readSignedRequest(req);
  } catch (err) {
    if (!(err instanceof ParameterSyntaxError)) throw err;
    return { auth: { ok: false, problem: problem(400, 'parameter_rejected') } };
  }
  const result = await context.verifier.verify(collected, { token: lookup });
  if (result.judgedAt !== undefined) stateClock(res, result.judgedAt);
  if (!result.ok) {
    context.log(`sandbox: ${req.method} ${req.baseUrl}${req.path} refused: ${result.problem.problem}`);
    return { collected, auth: result };
  }
  const { verified } = result;
  return { collected, auth: { ok: true, verified, token: verified.token as string, account: verified.account as string } };
}

function sendSms(context: SandboxContext) {
  return async function sendSmsHandler(req: Request, res: Response): Promise<void> {
    context.stats.smsCalls += 1;
    const { collected, auth } = await authenticate(context, req, res);
    if (!auth.ok) {
      if (isCredentialProblem(auth.problem) || isReportedInHeader(auth.problem)) return unauthorized(res, auth.problem);
      const detail = auth.problem.problem === 'signature_invalid' ? '' : ` (${auth.problem.problem})`;
      return sendRefusal(res, { status: '14', errorText: `Invalid Signature${detail}` });
    }
    if ((await context.delays.apply(auth.account, 'sms', res)) === 'answered') return;
    const admission = context.throttle.admit(auth.token);
    if (!admission.ok) {
      return sendRefusal(res, {
        status: '1',
        errorText: `Throughput Rate Exceeded - please wait [ ${admission.retryAfterMs} ] and retry`,
      });
    }

    const parsed = readSms(req, collected as SignedRequest);
    if (!parsed.ok) return sendRefusal(res, parsed.refusal);
    const { sms } = parsed;
    // The test numbers that Nexmo would refuse (testNumbers.ts): nothing charged, nothing kept.
    const outcome = outcomeFor(sms.to);
    if (outcome.kind === 'refused') {
      context.log(`sandbox: SMS refused with status ${outcome.status} (test number)`);
      return sendRefusal(res, { status: outcome.status, errorText: outcome.errorText }, sms.clientRef);
    }
    const { parts, encoding } = countSegments(sms.text, sms.type);
    // All parts or nothing: a half-delivered message is worse than a clear refusal.
    const charge = await context.accounts.charge(auth.account, parts * context.priceUnits);
    if (!charge.ok) {
      return sendRefusal(res, { status: '9', errorText: 'Partner quota violation: not enough credit' }, sms.clientRef);
    }

    const ids = await context.messageIds.next(parts);
    const messages: Record<string, string>[] = [];
    for (let i = 0; i < parts; i += 1) {
      // The balance as it falls part by part, ending at what the whole message left.
      const remaining = charge.balanceUnits + (parts - 1 - i) * context.priceUnits;
      messages.push({
        to: sms.to,
        'message-id': ids[i] as string,
        status: '0',
        'remaining-balance': formatUnits(remaining),
        'message-price': formatUnits(context.priceUnits),
        network: NETWORK,
        ...(sms.clientRef === undefined ? {} : { 'client-ref': sms.clientRef }),
      });
    }
    await context.outbox.record({
      at: new Date(context.now()).toISOString(),
      account: auth.account,
      from: sms.from,
      to: sms.to,
      text: sms.text,
      // How it was billed: type=text with characters outside GSM-7 goes out as unicode.
      type: encoding === 'ucs2' ? 'unicode' : 'text',
      parts,
      messageIds: messages.map((m) => m['message-id'] as string),
    });
    if (sms.receiptUrl !== undefined) {
      context.receipts.schedule({
        callback: sms.receiptUrl,
        from: sms.from,
        to: sms.to,
        clientRef: sms.clientRef,
        network: NETWORK,
        parts: messages.map((m) => ({ messageId: m['message-id'] as string, price: m['message-price'] as string })),
      });
    }
    context.log(`sandbox: SMS accepted (${parts} part${parts === 1 ? '' : 's'})`);
    res.status(200).set('Cache-Control', 'no-store').json({ 'message-count': String(parts), messages });
  };
}

function getBalance(context: SandboxContext) {
  return async function getBalanceHandler(req: Request, res: Response): Promise<void> {
    context.stats.balanceCalls += 1;
    const { auth } = await authenticate(context, req, res);
    if (!auth.ok) return unauthorized(res, auth.problem);
    if ((await context.delays.apply(auth.account, 'balance', res)) === 'answered') return;
    const balanceUnits = await context.accounts.balance(auth.account);
    // Written by hand so the value keeps Nexmo's 8 decimals (JSON.stringify would drop them).
    res
      .status(200)
      .set('Cache-Control', 'no-store')
      .type('application/json')
      .send(`{"value":${formatUnits(balanceUnits)},"autoReload":false}`);
  };
}

/**
 * Problems with the request's timing or protocol rather than its content: answered 401 with the
 * problem and its hints in WWW-Authenticate, so a client can tell its clock is off (the Date
 * header says by how much) instead of reading "Invalid Signature". A signature that does not
 * match, or a malformed parameter, stays Nexmo's status 14.
 */
function isReportedInHeader(p: Problem): boolean {
  return p.problem !== 'signature_invalid' && p.problem !== 'parameter_rejected';
}

function unauthorized(res: Response, p: Problem): void {
  // The header names the OAuth problem for developers; the body is what Nexmo sends.
  const hints = Object.entries(p.extra ?? {})
    .filter(([name]) => name !== 'oauth_signature_base_string')
    .map(([name, value]) => `, ${name}="${encodeURIComponent(value)}"`)
    .join('');
  res
    .status(401)
    .set('WWW-Authenticate', `OAuth realm="${REALM}", oauth_problem="${p.problem}"${hints}`)
    .set('Cache-Control', 'no-store')
    .json({ 'error-code': '401', 'error-code-label': 'authentication failed' });
}

function sendRefusal(res: Response, refusal: SmsRefusal, clientRef?: string): void {
  const entry: Record<string, string> = { status: refusal.status, 'error-text': refusal.errorText };
  if (clientRef !== undefined) entry['client-ref'] = clientRef;
  res.status(200).set('Cache-Control', 'no-store').json({ 'message-count': '1', messages: [entry] });
}

const apiBodyError: ErrorRequestHandler = (err, _req, res, next) => {
  if (!isBodyParseError(err)) return next(err);
  sendRefusal(res, { status: '3', errorText: 'Invalid parameters: the request body could not be read' });
};
