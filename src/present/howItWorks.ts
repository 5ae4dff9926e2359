// The "How it works" page: each step of the connection's timeline, with a plain-language
// caption saying what it proves. The steps arrive masked (src/oauth/exchangeTrace.ts).

import type { ProtocolExchange } from '../oauth/exchangeTrace.js';
import type { TraceStep } from '../oauth/trace.js';
import { formatMoment, type Moment } from './dates.js';

/** The three legs of OAuth 1.0a, and the signed calls that follow. */
export const LEGS = [
  { leg: 1, title: 'Request token', who: 'App → Nexmo' },
  { leg: 2, title: 'Approval', who: 'Browser → Nexmo → App' },
  { leg: 3, title: 'Access token', who: 'App → Nexmo' },
  { leg: 4, title: 'Signed calls', who: 'App → Nexmo API' },
] as const;

export interface StepView {
  id: string;
  leg: number;
  title: string;
  caption: string;
  at: Moment;
  ms?: string;
  lines?: Array<[string, string]>;
  exchange?: ProtocolExchange & { statusText: string };
}

const CAPTIONS = {
  'request-token':
    'The app signs a request with its consumer key and secret and says where to send you back (oauth_callback). Nexmo answers with a temporary request token; oauth_callback_confirmed=true shows it accepted that callback, which is what makes this OAuth 1.0a and not 1.0.',
  authorize:
    'Your browser is sent to Nexmo with the request token and nothing else. You sign in and approve there: the app never sees your password.',
  callback:
    'Nexmo sends your browser back with the same request token and a verifier. The verifier ties your approval to this request token: someone who only saw the token cannot finish the sign-in.',
  'access-token':
    'The app exchanges the request token and the verifier for an access token, signing with the request token’s secret. The request token is now used up; the access token is kept on the server only.',
  balance:
    'Every API call is signed with the consumer secret and the access token’s secret; no password or API secret travels. Nexmo rebuilds the signature base string below from the request it receives and checks the signature against it.',
  send:
    'The SMS is a signed form POST: the form fields are part of the signature base string, so nobody between the app and Nexmo can change the number or the text without breaking the signature.',
} as const;

function exchangeView(exchange: ProtocolExchange): StepView['exchange'] {
  const statusText = exchange.status === undefined ? 'no answer' : `HTTP ${exchange.status}`;
  return { ...exchange, statusText };
}

export function howItWorksView(trace: readonly TraceStep[] | undefined): { legs: typeof LEGS; steps: StepView[] } {
  const steps = (trace ?? []).map((step, index): StepView => {
    const id = `step-${index + 1}`;
    switch (step.kind) {
      case 'request-token':
        return { id, leg: 1, title: 'Request token', caption: CAPTIONS['request-token'], at: formatMoment(step.exchange.at), ms: `${step.exchange.ms.toFixed(1)} ms`, exchange: exchangeView(step.exchange) };
      case 'authorize':
        return { id, leg: 2, title: 'To Nexmo’s consent page', caption: CAPTIONS.authorize, at: formatMoment(step.at), lines: [['Redirect to', step.url]] };
      case 'callback':
        return { id, leg: 2, title: 'Back with a verifier', caption: CAPTIONS.callback, at: formatMoment(step.at), lines: [['oauth_token', step.token], ['oauth_verifier', step.verifier]] };
      case 'access-token':
        return { id, leg: 3, title: 'Access token', caption: CAPTIONS['access-token'], at: formatMoment(step.exchange.at), ms: `${step.exchange.ms.toFixed(1)} ms`, exchange: exchangeView(step.exchange) };
      case 'api':
        return {
          id,
          leg: 4,
          title: step.call === 'send' ? 'Signed call: send an SMS' : 'Signed call: account balance',
          caption: CAPTIONS[step.call],
          at: formatMoment(step.exchange.at),
          ms: `${step.exchange.ms.toFixed(1)} ms`,
          exchange: exchangeView(step.exchange),
        };
    }
  });
  return { legs: LEGS, steps };
}
