// The "How it works" lab: each step of the connection's timeline, with a plain-language caption
// saying what it proves, listed on the left and shown one at a time on the right (each has a
// link of its own, #call-…); a sequence picture of the dance drawn from what happened; each
// signed call as timeline/view.ts derives it from the recorded facts: the raw request and reply,
// the base string in its three parts, the signing key named, and the call again as curl.

import type { ExchangeFacts } from '../timeline/facts.js';
import { MAX_BALANCE_READS, type LoginStep } from '../timeline/store.js';
import { exchangeView, type ExchangeView } from '../timeline/view.js';
import { formatMoment, type Moment } from './dates.js';


/** The three legs of OAuth 1.0a, and the signed calls that follow. */
export const LEGS = [
  { leg: 1, title: 'Request token', who: 'App → Nexmo' },
  { leg: 2, title: 'Approval', who: 'Browser → Nexmo → App' },
  { leg: 3, title: 'Access token', who: 'App → Nexmo' },
  { leg: 4, title: 'Signed calls', who: 'App → Nexmo API' },
] as const;

export interface StepView {
  /** Its anchor: `call-…`, stable while the step is kept. */
  id: string;
  /** A few words for the list on the left. */
  short: string;
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

/** The list on the left: the legs' steps, the sends (newest first), the balance reads. */
export interface CallGroup {
  title: string;
  steps: StepView[];
}

export interface HowItWorksView {
  legs: typeof LEGS;
  steps: StepView[];
  groups: CallGroup[];
  /** The step shown when the address names none: the latest call. */
  selected?: string;
  sequence: Sequence;
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
  return { legs: LEGS, steps: [], groups: [], sequence: sequenceOf({ login: [], balanceReads: [], sends: [] }), explanation: LEGS.map((leg) => ({ ...leg, caption: captions[leg.leg] ?? '' })) };
}

function loginStepView(step: LoginStep, secrets: readonly string[]): StepView {
  switch (step.kind) {
    case 'request-token':
      return callStepView(step.facts, 'call-request-token', 'Request token', 1, 'Request token', CAPTIONS['request-token'], secrets);
    case 'authorize':
      return { id: 'call-authorize', short: 'To the consent page', leg: 2, title: 'To Nexmo’s consent page', caption: CAPTIONS.authorize, at: formatMoment(step.at), lines: [['Redirect to', step.url]] };
    case 'callback':
      return { id: 'call-callback', short: 'Back with a verifier', leg: 2, title: 'Back with a verifier', caption: CAPTIONS.callback, at: formatMoment(step.at), lines: [['oauth_token', step.token], ['oauth_verifier', step.verifier]] };
    case 'access-token':
      return callStepView(step.facts, 'call-access-token', 'Access token', 3, 'Access token', CAPTIONS['access-token'], secrets);
  }
}

function callStepView(facts: ExchangeFacts, id: string, short: string, leg: number, title: string, caption: string, secrets: readonly string[]): StepView {
  return { id, short, leg, title, caption, at: formatMoment(facts.at), ms: `${facts.ms.toFixed(1)} ms`, exchange: exchangeView(facts, secrets) };
}

/** "Send 3 · 200 · 12:01:05": what the list on the left says of a signed call (its time in UTC). */
function callShort(name: string, facts: ExchangeFacts): string {
  const time = new Date(facts.at).toISOString().slice(11, 19);
  return `${name} · ${facts.status === undefined ? 'no answer' : facts.status} · ${time}`;
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
  const login = recorded.login.map((step) => loginStepView(step, secrets));
  const { sends, balanceReads } = recorded;
  const sendViews = sends
    .map((facts, index) => callStepView(facts, `call-send-${index + 1}`, callShort(`Send ${index + 1}`, facts), 4, sends.length === 1 ? 'Signed call: send an SMS' : `Signed call: send an SMS (${index + 1} of ${sends.length})`, CAPTIONS.send, secrets))
    .reverse();
  const balanceViews: StepView[] = [];
  const latest = balanceReads.at(-1);
  if (latest) {
    const view = callStepView(latest, 'call-balance', callShort('Balance', latest), 4, 'Signed call: account balance', CAPTIONS.balance, secrets);
    const at = formatMoment(latest.at);
    // Only the last MAX_BALANCE_READS reads are kept: at the cap, there may have been more.
    const times = balanceReads.length === 1 ? 'once' : balanceReads.length >= MAX_BALANCE_READS ? `at least ${balanceReads.length} times` : `${balanceReads.length} times`;
    view.repeat = `Account balance read ${times}, last at ${at.text}`;
    balanceViews.push(view);
  }
  const groups: CallGroup[] = [
    { title: 'Connecting: the three legs', steps: login },
    { title: sends.length === 0 ? 'Sends' : `Sends (${sends.length}), newest first`, steps: sendViews },
    { title: 'Balance reads', steps: balanceViews },
  ].filter((group) => group.steps.length > 0);
  const steps = [...login, ...sendViews, ...balanceViews];
  // The newest call is what a demo points at: the last send, else the access token.
  const selected = sendViews[0]?.id ?? login.at(-1)?.id ?? balanceViews[0]?.id;
  return { legs: LEGS, steps, groups, selected, sequence: sequenceOf(recorded) };
}

/** One arrow of the sequence picture: who to whom, what, and whether it happened yet. */
export interface SequenceArrow {
  from: Lifeline;
  to: Lifeline;
  label: string;
  leg: number;
  done: boolean;
  /** The step it links to, when there is one. */
  href?: string;
}

export type Lifeline = 'browser' | 'app' | 'nexmo';

export interface Sequence {
  arrows: SequenceArrow[];
  /** For screen readers: what happened, and what not yet. */
  description: string;
}

/** The dance as a picture: every arrow of the three legs and the signed calls, solid once it happened. */
export function sequenceOf(recorded: RecordedTimeline): Sequence {
  const has = (kind: LoginStep['kind']) => recorded.login.some((step) => step.kind === kind);
  const calls = recorded.sends.length + recorded.balanceReads.length;
  const arrows: SequenceArrow[] = [
    { from: 'app', to: 'nexmo', label: 'POST request_token (signed)', leg: 1, done: has('request-token'), href: '#call-request-token' },
    { from: 'nexmo', to: 'app', label: 'request token', leg: 1, done: has('request-token'), href: '#call-request-token' },
    { from: 'app', to: 'browser', label: '302 to the consent page', leg: 2, done: has('authorize'), href: '#call-authorize' },
    { from: 'browser', to: 'nexmo', label: 'you approve', leg: 2, done: has('callback') },
    { from: 'nexmo', to: 'browser', label: '302 back, with a verifier', leg: 2, done: has('callback'), href: '#call-callback' },
    { from: 'browser', to: 'app', label: 'GET /auth/callback', leg: 2, done: has('callback'), href: '#call-callback' },
    { from: 'app', to: 'nexmo', label: 'POST access_token (signed)', leg: 3, done: has('access-token'), href: '#call-access-token' },
    { from: 'nexmo', to: 'app', label: 'access token', leg: 3, done: has('access-token'), href: '#call-access-token' },
    { from: 'app', to: 'nexmo', label: calls === 0 ? 'signed API calls' : `signed API calls (${calls})`, leg: 4, done: calls > 0 },
    { from: 'nexmo', to: 'app', label: 'their answers', leg: 4, done: calls > 0 },
  ];
  const done = arrows.filter((arrow) => arrow.done).map((arrow) => arrow.label);
  const pending = arrows.filter((arrow) => !arrow.done).map((arrow) => arrow.label);
  const description =
    `The OAuth 1.0a dance between your browser, this app and Nexmo. ` +
    (done.length === 0 ? 'Nothing has happened yet.' : `Done: ${done.join('; ')}.`) +
    (pending.length === 0 ? '' : ` Not yet: ${pending.join('; ')}.`);
  return { arrows, description };
}
