// What a person is told when Nexmo refuses a call and says why (OAuth Problem Reporting, read by
// src/oauth/problems.ts). Each problem has its own sentence and the fix that belongs to it; the
// provider's own text never appears, only the code, parameter names and the clock difference.

import type { ProviderProblem } from '../oauth/problems.js';

/** Which call was refused: the two steps of connecting, or a signed API call once connected. */
export type RefusedStep = 'request token' | 'access token' | 'api';

export interface ProblemExplanation {
  status: number;
  title: string;
  message: string;
  /** What to do about it, when there is something to do beyond trying again. */
  advice?: string;
  /** The access token is no good any more: forget it and ask the person to connect again. */
  disconnect: boolean;
}

/**
 * `callbackUrl`: the address the app asked Nexmo to send the browser back to, which a refused
 * request token most often means Nexmo's application settings do not accept.
 */
export function explainProblem(problem: ProviderProblem | undefined, step: RefusedStep, callbackUrl: string): ProblemExplanation {
  const nothing = step === 'api' ? 'Nothing was sent.' : 'Nothing was connected.';
  const refused = (title: string, message: string, advice?: string): ProblemExplanation => ({ status: 502, title, message: `${message} ${nothing}`, ...(advice ? { advice } : {}), disconnect: false });

  switch (problem?.code) {
    case 'timestamp_refused':
      return refused('This server’s clock is off', clockSentence(problem.clockSkewSeconds), 'Every signed request carries the time it was made, and Nexmo only accepts ones within a few minutes of its own clock. Set this server’s clock right by turning on automatic time synchronisation (NTP; on most Linux servers “timedatectl set-ntp true”), then try again.');
    case 'consumer_key_unknown':
    case 'consumer_key_rejected':
    case 'consumer_key_refused':
      return refused('Nexmo does not accept this app’s consumer key', 'Nexmo does not know, or no longer accepts, the consumer key this app is configured with.', 'Check NEXMO_CONSUMER_KEY (and NEXMO_CONSUMER_SECRET with it) against the application registered in the Nexmo dashboard, then restart the app.');
    case 'token_rejected':
    case 'token_revoked':
    case 'token_expired':
    case 'token_used':
      if (step === 'api') {
        return { status: 401, title: 'Nexmo no longer accepts this connection', message: 'The access may have been revoked or have expired, so the app disconnected you.', advice: 'Connect again to continue.', disconnect: true };
      }
      return { status: 403, title: 'This sign-in is no longer valid at Nexmo', message: `Nexmo says the sign-in was already used, has expired or was withdrawn. ${nothing}`, advice: 'Connect with Nexmo again.', disconnect: false };
    case 'verifier_invalid':
      return { status: 403, title: 'Nexmo did not confirm this sign-in', message: `The verification code that came back with the sign-in was not the one Nexmo issued. ${nothing}`, advice: 'Connect with Nexmo again.', disconnect: false };
    case 'nonce_used':
      return refused('Nexmo took this request for a replay', 'The one-time value (nonce) of the request had been used before, so Nexmo refused it as a possible replay.', 'Try again: every attempt uses a fresh one. If it keeps happening, two copies of the app may be running with the same clock and key, or a proxy is sending requests twice.');
    case 'signature_invalid':
      return refused('Nexmo could not verify the request’s signature', 'The signature did not match what Nexmo computed for the request.', 'Most often NEXMO_CONSUMER_SECRET does not belong to NEXMO_CONSUMER_KEY; otherwise a proxy between this app and Nexmo changed the request on its way.');
    case 'signature_method_rejected':
      return refused('Nexmo does not accept this signature method', 'Nexmo refused the signature method the app signs with.', 'Set OAUTH_SIGNATURE_METHOD to HMAC-SHA1 (the default) and restart the app.');
    case 'parameter_absent':
      return refused('Nexmo said the request was incomplete', `The request lacked ${listOf(problem.parametersAbsent, 'a parameter Nexmo requires')}.`, 'That is a fault in the app or in a proxy that strips headers on the way; it has been logged.');
    case 'version_rejected':
      return refused('Nexmo does not accept this OAuth version', `The app signs with OAuth 1.0, which Nexmo refused${problem.acceptableVersions ? ` (it accepts versions ${problem.acceptableVersions})` : ''}.`, 'Check that NEXMO_OAUTH_URL points at an OAuth 1.0a provider.');
    case 'permission_denied':
    case 'user_refused':
      if (step === 'access token') return { status: 403, title: 'Nexmo did not grant access', message: `Nexmo says access to the account was not granted. ${nothing}`, advice: 'Connect with Nexmo again and choose Authorize.', disconnect: false };
  }
  if (step === 'request token') {
    // Without a more precise reason, a refused start is most often an unregistered callback.
    return refused('Nexmo refused to start the sign-in', `Nexmo refused the app’s request to start a sign-in${codeSaid(problem)}.`, `Nexmo must accept this app’s callback URL, ${callbackUrl}. Register exactly that address for the application in the Nexmo dashboard, or set PUBLIC_URL to the address that is registered.`);
  }
  return refused(step === 'api' ? 'Nexmo refused the request' : "Couldn't connect to Nexmo", `Nexmo refused the request${codeSaid(problem)}.`, 'Try again; if it keeps happening, the app may be misconfigured.');
}

/** How far apart the clocks are, in the words a person would use. */
function clockSentence(skew: number | undefined): string {
  if (skew === undefined) return 'Nexmo refused the request because its time was too far from Nexmo’s clock.';
  const size = Math.abs(skew);
  const way = skew > 0 ? 'behind' : 'ahead of';
  const roughly = size >= 90 ? ` (about ${Math.round(size / 60)} minutes)` : '';
  return `Nexmo refused the request because this server’s clock is ${size} second${size === 1 ? '' : 's'}${roughly} ${way} Nexmo’s.`;
}

function listOf(names: readonly string[] | undefined, otherwise: string): string {
  if (!names || names.length === 0) return otherwise;
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
}

function codeSaid(problem: ProviderProblem | undefined): string {
  return problem ? ` (it said ${problem.code})` : '';
}
