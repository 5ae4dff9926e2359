// The "How it works" page: each step of the connection's timeline, with a plain-language
// caption saying what it proves. Each signed call is shown as timeline/view.ts derives it from
// the recorded facts: masked, with its base string and Authorization header rebuilt.

import type { ExchangeFacts } from '../timeline/facts.js';
import { MAX_BALANCE_READS, type LoginStep } from '../timeline/store.js';
import { exchangeView, type ExchangeView } from '../timeline/view.js';
import { formatMoment, type Moment } from './dates.js';

type ApiCall = 'balance' | 'send';

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
  exchange?: ExchangeView;
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

function loginStepView(step: LoginStep, id: string, secrets: readonly string[]): StepView {
  switch (step.kind) {
    case 'request-token':
      return callStepView(step.facts, id, 1, 'Request token', CAPTIONS['request-token'], secrets);
    case 'authorize':
      return { id, leg: 2, title: 'To Nexmo’s consent page', caption: CAPTIONS.authorize, at: formatMoment(step.at), lines: [['Redirect to', step.url]] };
    case 'callback':
      return { id, leg: 2, title: 'Back with a verifier', caption: CAPTIONS.callback, at: formatMoment(step.at), lines: [['oauth_token', step.token], ['oauth_verifier', step.verifier]] };
    case 'access-token':
      return callStepView(step.facts, id, 3, 'Access token', CAPTIONS['access-token'], secrets);
  }
}

function callStepView(facts: ExchangeFacts, id: string, leg: number, title: string, caption: string, secrets: readonly string[]): StepView {
  return { id, leg, title, caption, at: formatMoment(facts.at), ms: `${facts.ms.toFixed(1)} ms`, exchange: exchangeView(facts, secrets) };
}

function apiStepView(facts: ExchangeFacts, id: string, call: ApiCall, title: string, secrets: readonly string[]): StepView {
  return callStepView(facts, id, 4, title, CAPTIONS[call], secrets);
}

/** What the timeline recorded for one connection: the login's steps, its balance reads and its sends, each oldest first. */
export interface RecordedTimeline {
  login: readonly LoginStep[];
  balanceReads: readonly ExchangeFacts[];
  sends: readonly ExchangeFacts[];
}

/**
 * The connection's timeline. The login's steps come first, in the order they happened: they are
 * the three legs, a sequence read top to bottom. Then leg 4, the signed calls, sends first and
 * newest first: each send is a different request (its own number and text are in the base
 * string), and the send just made is what a demo points at. The balance reads come last, as one
 * card: the SMS form reads the balance each time it loads, so they are the same call again and
 * again; the card says how often and when last, and shows the latest one's details.
 */
export function howItWorksView(recorded: RecordedTimeline, secrets: readonly string[]): HowItWorksView {
  const steps = recorded.login.map((step, index) => loginStepView(step, `step-${index + 1}`, secrets));
  const { sends, balanceReads } = recorded;
  sends
    .map((facts, index) => apiStepView(facts, `send-${index + 1}`, 'send', sends.length === 1 ? 'Signed call: send an SMS' : `Signed call: send an SMS (${index + 1} of ${sends.length})`, secrets))
    .reverse()
    .forEach((view) => steps.push(view));
  const latest = balanceReads.at(-1);
  if (latest) {
    const view = apiStepView(latest, 'balance', 'balance', 'Signed call: account balance', secrets);
    const at = formatMoment(latest.at);
    // Only the last MAX_BALANCE_READS reads are kept: at the cap, there may have been more.
    const times = balanceReads.length === 1 ? 'once' : balanceReads.length >= MAX_BALANCE_READS ? `at least ${balanceReads.length} times` : `${balanceReads.length} times`;
    view.repeat = `Account balance read ${times}, last at ${at.text}`;
    steps.push(view);
  }
  return { legs: LEGS, steps };
}
