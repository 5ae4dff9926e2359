// The "How it works" page: each step of the connection's timeline, with a plain-language
// caption saying what it proves. The steps arrive masked (src/oauth/exchangeTrace.ts).

import type { ProtocolExchange } from '../oauth/exchangeTrace.js';
import { MAX_API_STEPS, type ApiCall, type TraceStep } from '../oauth/trace.js';
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
  /** For repeated calls shown as one: how often, and when last ("Account balance read 14 times, last at …"). */
  repeat?: string;
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

export interface HowItWorksView {
  legs: typeof LEGS;
  steps: StepView[];
  /** For a visitor who has not connected: what each leg is, before there is a timeline. */
  explanation?: Array<{ leg: number; title: string; who: string; caption: string }>;
}

/** The page before connecting: the legs explained in general, and a way to connect. */
export function howItWorksIntro(): HowItWorksView {
  const captions: Record<number, string> = {
    1: CAPTIONS['request-token'],
    2: `${CAPTIONS.authorize} ${CAPTIONS.callback}`,
    3: CAPTIONS['access-token'],
    4: `${CAPTIONS.balance} ${CAPTIONS.send}`,
  };
  return { legs: LEGS, steps: [], explanation: LEGS.map((leg) => ({ ...leg, caption: captions[leg.leg] ?? '' })) };
}

function loginStepView(step: Exclude<TraceStep, { kind: 'api' }>, id: string): StepView {
  switch (step.kind) {
    case 'request-token':
      return { id, leg: 1, title: 'Request token', caption: CAPTIONS['request-token'], at: formatMoment(step.exchange.at), ms: `${step.exchange.ms.toFixed(1)} ms`, exchange: exchangeView(step.exchange) };
    case 'authorize':
      return { id, leg: 2, title: 'To Nexmo’s consent page', caption: CAPTIONS.authorize, at: formatMoment(step.at), lines: [['Redirect to', step.url]] };
    case 'callback':
      return { id, leg: 2, title: 'Back with a verifier', caption: CAPTIONS.callback, at: formatMoment(step.at), lines: [['oauth_token', step.token], ['oauth_verifier', step.verifier]] };
    case 'access-token':
      return { id, leg: 3, title: 'Access token', caption: CAPTIONS['access-token'], at: formatMoment(step.exchange.at), ms: `${step.exchange.ms.toFixed(1)} ms`, exchange: exchangeView(step.exchange) };
  }
}

function apiStepView(exchange: ProtocolExchange, id: string, call: ApiCall, title: string): StepView {
  return { id, leg: 4, title, caption: CAPTIONS[call], at: formatMoment(exchange.at), ms: `${exchange.ms.toFixed(1)} ms`, exchange: exchangeView(exchange) };
}

/**
 * The connection's timeline. The login's steps come first, in the order they happened: they are
 * the three legs, a sequence read top to bottom. Then leg 4, the signed calls, sends first and
 * newest first: each send is a different request (its own number and text are in the base
 * string), and the send just made is what a demo points at. The balance reads come last, as one
 * card: the SMS form reads the balance each time it loads, so they are the same call again and
 * again; the card says how often and when last, and shows the latest one's details.
 */
export function howItWorksView(trace: readonly TraceStep[] | undefined): HowItWorksView {
  const login: StepView[] = [];
  const sends: ProtocolExchange[] = [];
  const balances: ProtocolExchange[] = [];
  for (const step of trace ?? []) {
    if (step.kind !== 'api') login.push(loginStepView(step, `step-${login.length + 1}`));
    else (step.call === 'send' ? sends : balances).push(step.exchange);
  }
  const steps = [...login];
  sends
    .map((exchange, index) => apiStepView(exchange, `send-${index + 1}`, 'send', sends.length === 1 ? 'Signed call: send an SMS' : `Signed call: send an SMS (${index + 1} of ${sends.length})`))
    .reverse()
    .forEach((view) => steps.push(view));
  const latest = balances.at(-1);
  if (latest) {
    const view = apiStepView(latest, 'balance', 'balance', 'Signed call: account balance');
    const at = formatMoment(latest.at);
    // Only the last MAX_API_STEPS reads are kept: at the cap, there may have been more.
    const times = balances.length === 1 ? 'once' : balances.length >= MAX_API_STEPS ? `at least ${balances.length} times` : `${balances.length} times`;
    view.repeat = `Account balance read ${times}, last at ${at.text}`;
    steps.push(view);
  }
  return { legs: LEGS, steps };
}
