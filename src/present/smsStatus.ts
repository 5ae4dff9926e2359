import { knownCodes, lookupCode } from './codeTable.js';

// Nexmo's numeric codes turned into sentences a person can act on. Pages show these instead of
// the provider's own `error-text`, which is terse and not written for the people using the app.

export interface SmsStatusInfo {
  code: number;
  title: string;
  explanation: string;
  whatToDo: string;
  /** Sending the same message again later may work. The app itself never retries. */
  retryable: boolean;
}

type Entry = Omit<SmsStatusInfo, 'code'>;

const SMS_STATUS: ReadonlyMap<number, Entry> = new Map<number, Entry>([
  [0, {
    title: 'Sent',
    explanation: 'Nexmo accepted this part and is passing it on to the network.',
    whatToDo: 'Nothing to do. A delivery receipt may follow once the phone has it.',
    retryable: false,
  }],
  [1, {
    title: 'Too many messages at once',
    explanation: 'Nexmo is limiting how fast this account can send, and this message arrived above the limit.',
    whatToDo: 'Wait a moment and try again.',
    retryable: true,
  }],
  [2, {
    title: 'Something was missing',
    explanation: 'The request reached Nexmo without one of the fields it needs (sender, recipient or text).',
    whatToDo: 'Check that every field is filled in and send again. If it keeps happening, report it: the app sent an incomplete request.',
    retryable: false,
  }],
  [3, {
    title: 'A value was not accepted',
    explanation: 'Nexmo rejected one of the values, most often the recipient number or the sender.',
    // The app always sends the recipient with its country code (a national number is read in the
    // default country first), so what can be wrong is the number or its country, not its format.
    whatToDo: 'Check the recipient number and its country code, and that the sender is a number or up to 11 letters and digits.',
    retryable: false,
  }],
  [4, {
    title: 'Account credentials rejected',
    explanation: 'Nexmo did not accept the account credentials that came with this request.',
    whatToDo: 'Disconnect your Nexmo account, then connect it again.',
    retryable: false,
  }],
  [5, {
    title: 'Nexmo had an internal error',
    explanation: 'Something went wrong inside Nexmo while it handled this part, so it was not sent.',
    whatToDo: 'Wait a few minutes and try again. If it persists, check Nexmo’s status page.',
    retryable: true,
  }],
  [6, {
    title: 'No route to this number',
    explanation: 'Nexmo could not find a way to deliver to this number; the country or network prefix may be wrong or unsupported.',
    whatToDo: 'Check the country code and the number itself.',
    retryable: false,
  }],
  [7, {
    title: 'This number is barred',
    explanation: 'The recipient’s number is blocked from receiving messages from this account.',
    whatToDo: 'Send to a different number, or contact Nexmo support if you think the block is a mistake.',
    retryable: false,
  }],
  [8, {
    title: 'Your account is barred',
    explanation: 'Nexmo has stopped this account from sending messages.',
    whatToDo: 'Contact Nexmo support to find out why and to have the account re-enabled.',
    retryable: false,
  }],
  [9, {
    title: 'Not enough credit',
    explanation: 'Your Nexmo account does not have enough credit to pay for this message.',
    whatToDo: 'Top up your account on the Nexmo dashboard, then send again.',
    retryable: false,
  }],
  [10, {
    title: 'Too many open connections',
    explanation: 'The account already has as many connections to Nexmo open as it is allowed.',
    whatToDo: 'Wait a minute for other connections to close, then try again.',
    retryable: true,
  }],
  [11, {
    title: 'Sending over the web API is not enabled',
    explanation: 'This account is not set up to send SMS through Nexmo’s REST API.',
    whatToDo: 'Ask Nexmo support to enable REST (HTTP) sending for the account.',
    retryable: false,
  }],
  [12, {
    title: 'Message too long',
    explanation: 'The message is longer than Nexmo allows.',
    whatToDo: 'Shorten the message to at most 3200 characters and send again.',
    retryable: false,
  }],
  [14, {
    title: 'Signature not accepted',
    explanation: 'Nexmo did not accept the app’s signature on the request, so it could not tell the message came from your account.',
    whatToDo: 'Disconnect and connect again. If it keeps happening, the app’s OAuth settings may be wrong.',
    retryable: false,
  }],
  [15, {
    title: 'Sender not allowed',
    explanation: 'Nexmo rejected the sender: it may not be allowed in the recipient’s country, or it is not a valid name or number.',
    whatToDo: 'Use one of your Nexmo numbers as the sender, or a different name of up to 11 letters and digits.',
    retryable: false,
  }],
  [22, {
    title: 'Network not recognised',
    explanation: 'The mobile network given for the recipient is not one Nexmo knows.',
    whatToDo: 'Check the number; if it is right and this keeps happening, contact Nexmo support.',
    retryable: false,
  }],
  [23, {
    title: 'Delivery receipt address rejected',
    explanation: 'The web address the app gave for delivery receipts is not valid.',
    whatToDo: 'This is a setup problem: ask whoever runs the app to check its public URL.',
    retryable: false,
  }],
  [29, {
    title: 'Not one of your test numbers',
    explanation: 'This number isn’t on your account’s list of test numbers. Demo accounts can only send to numbers they have verified.',
    whatToDo: 'Add the number to your test numbers on the Nexmo dashboard, or top up the account to lift the demo limit.',
    retryable: false,
  }],
  [32, {
    title: 'Signature and secret sent together',
    explanation: 'The request carried both a signature and an API secret, which Nexmo does not allow.',
    whatToDo: 'Report it: the app built a request Nexmo refuses.',
    retryable: false,
  }],
  [33, {
    title: 'Number deactivated',
    explanation: 'The recipient’s number has been switched off by its network and cannot receive messages.',
    whatToDo: 'Check the number with the person you are writing to.',
    retryable: false,
  }],
]);

/** Codes this app has a sentence for. */
export const KNOWN_SMS_STATUS_CODES = knownCodes(SMS_STATUS);

/** Plain-language meaning of an SMS API `status`; unrecognised codes get a generic sentence. */
export function describeSmsStatus(code: number): SmsStatusInfo {
  return lookupCode(SMS_STATUS, code, () => ({
    title: `Unknown status ${code}`,
    explanation: `Nexmo answered with status ${code}, which this app does not recognise.`,
    // Unknown means we cannot tell whether it went out, so warn before a duplicate is sent.
    whatToDo: 'Check the message log on the Nexmo dashboard before sending again, so it is not sent twice.',
    retryable: false,
  }));
}
