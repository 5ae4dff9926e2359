import { describe, expect, it } from 'vitest';
import {
  ProviderError,
  ProviderNetworkError,
  ProviderRedirectError,
  ProviderTimeoutError,
} from '../../src/oauth/errors.js';
import type { SignedResponse, TokenPair } from '../../src/oauth/types.js';
import { fakeConsumer } from '../helpers/fakeNexmo.js';
import { createNexmoClient } from '../../src/nexmo/smsClient.js';
import type { OutgoingSms } from '../../src/nexmo/types.js';

type Reply = SignedResponse | Error;

/**
 * The shared fake consumer, answering signed calls from a script of replies: a ProviderError is
 * returned as the call's failure, as the consumer does; any other error is thrown (a bug).
 * `calls`: every signed call the client made, as the consumer was asked to sign it.
 */
function scripted(...replies: Reply[]) {
  const consumer = fakeConsumer();
  consumer.answerSigned(...replies);
  return { consumer, calls: consumer.signedCalls };
}

const json = (body: unknown, status = 200): SignedResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

const ACCESS: TokenPair = { token: 'access-token', secret: 'access-secret' };
const MESSAGE: OutgoingSms = { from: 'MyShop', to: '447700900000', text: 'Hello', type: 'text' };
const REST = 'http://127.0.0.1:3000/sandbox';

const TWO_PARTS = {
  'message-count': '2',
  messages: [
    { to: '447700900000', 'message-id': '0C000000217B7F02', status: '0',
      'remaining-balance': '15.50260000', 'message-price': '0.03330000', network: '23410' },
    { to: '447700900000', 'message-id': '0C000000217B7F03', status: '0',
      'remaining-balance': '15.46930000', 'message-price': '0.03330000', network: '23410' },
  ],
};

async function send(reply: Reply, message: OutgoingSms = MESSAGE) {
  const { consumer, calls } = scripted(reply);
  const outcome = await createNexmoClient({ consumer, restUrl: REST }).sendSms(ACCESS, message);
  return { outcome, calls };
}

describe('sendSms: the request', () => {
  it('posts exactly from, to, text and type to /sms/json with the access token', async () => {
    const { calls } = await send(json(TWO_PARTS));
    expect(calls).toEqual([{
      method: 'POST',
      url: 'http://127.0.0.1:3000/sandbox/sms/json',
      access: ACCESS,
      params: { from: 'MyShop', to: '447700900000', text: 'Hello', type: 'text' },
    }]);
  });

  it('adds client-ref, and asks for receipts when a callback is given', async () => {
    const { calls } = await send(json(TWO_PARTS), {
      ...MESSAGE, type: 'unicode', text: 'Привет', clientRef: 'msg-42', callback: 'https://app.example/webhooks/receipt',
    });
    expect(calls[0]?.params).toEqual({
      from: 'MyShop', to: '447700900000', text: 'Привет', type: 'unicode',
      'client-ref': 'msg-42', 'status-report-req': '1', callback: 'https://app.example/webhooks/receipt',
    });
  });

  it('builds a fresh form for every message, so nothing from one send reaches the next', async () => {
    const { consumer, calls } = scripted(json(TWO_PARTS), json(TWO_PARTS));
    const client = createNexmoClient({ consumer, restUrl: REST });
    await client.sendSms(ACCESS, { ...MESSAGE, clientRef: 'first', callback: 'https://cb.example/' });
    // A signer that writes into the form it was given (the oauth package adds oauth_* keys).
    calls[0]!.params!['oauth_signature'] = 'left over';
    await client.sendSms(ACCESS, { ...MESSAGE, text: 'Second' });
    expect(calls[1]?.params).toEqual({ from: 'MyShop', to: '447700900000', text: 'Second', type: 'text' });
    expect(calls[1]?.params).not.toBe(calls[0]?.params);
  });

  it('has the consumer hide its secrets (the receipt key in the callback) in every call it records', async () => {
    const { consumer, calls } = scripted(json(TWO_PARTS), json({ value: 10 }));
    const client = createNexmoClient({ consumer, restUrl: REST, secrets: ['the-receipt-key'] });
    await client.sendSms(ACCESS, { ...MESSAGE, callback: 'https://app.example/webhooks/delivery-receipt/the-receipt-key' });
    await client.getBalance(ACCESS);
    expect(calls.map((call) => call.secrets)).toEqual([['the-receipt-key'], ['the-receipt-key']]);
    // The provider still gets the real callback: hiding is for what is recorded, not what is sent.
    expect(calls[0]?.params?.callback).toBe('https://app.example/webhooks/delivery-receipt/the-receipt-key');
  });

  it('asks for no receipt without a callback', async () => {
    const { calls } = await send(json(TWO_PARTS), { ...MESSAGE, clientRef: 'msg-42' });
    expect(calls[0]?.params).toEqual({ ...MESSAGE, 'client-ref': 'msg-42' });
  });

  it('refuses a client-ref over 40 characters without calling Nexmo', async () => {
    const { consumer, calls } = scripted(json(TWO_PARTS));
    const client = createNexmoClient({ consumer, restUrl: REST });
    await expect(client.sendSms(ACCESS, { ...MESSAGE, clientRef: 'x'.repeat(41) })).rejects.toThrow(RangeError);
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['https://rest.nexmo.com', 'https://rest.nexmo.com/sms/json'],
    ['https://rest.nexmo.com/', 'https://rest.nexmo.com/sms/json'],
    ['http://127.0.0.1:3000/sandbox', 'http://127.0.0.1:3000/sandbox/sms/json'],
    ['http://127.0.0.1:3000/sandbox/', 'http://127.0.0.1:3000/sandbox/sms/json'],
    ['http://127.0.0.1:3000/sandbox//', 'http://127.0.0.1:3000/sandbox/sms/json'],
  ])('joins restUrl %s into %s', async (restUrl, url) => {
    const { consumer, calls } = scripted(json(TWO_PARTS));
    await createNexmoClient({ consumer, restUrl }).sendSms(ACCESS, MESSAGE);
    expect(calls[0]?.url).toBe(url);
  });

  it.each(['rest.nexmo.com', 'ftp://rest.nexmo.com', 'https://rest.nexmo.com/?x=1', ''])(
    'refuses restUrl %j when the client is created',
    (restUrl) => {
      expect(() => createNexmoClient({ consumer: scripted().consumer, restUrl })).toThrow(TypeError);
    },
  );
});

describe('sendSms: answered outcomes', () => {
  it('reports every accepted part as "sent" with an exact total price', async () => {
    const { outcome } = await send(json(TWO_PARTS));
    expect(outcome).toEqual({
      kind: 'sent',
      messageCount: 2,
      totalPrice: '0.06660000',
      parts: [
        { index: 0, messageId: '0C000000217B7F02', status: 0,
          price: '0.03330000', network: '23410', remainingBalance: '15.50260000', to: '447700900000' },
        { index: 1, messageId: '0C000000217B7F03', status: 0,
          price: '0.03330000', network: '23410', remainingBalance: '15.46930000', to: '447700900000' },
      ],
    });
  });

  it('adds prices without float drift', async () => {
    const part = (price: string) => ({ status: '0', 'message-price': price });
    const { outcome } = await send(json({ messages: [part('0.10000000'), part('0.20000000'), part('0.03330000')] }));
    expect(outcome).toMatchObject({ kind: 'sent', totalPrice: '0.33330000', messageCount: 3 });
  });

  it('accepts numeric statuses and prices given as JSON numbers', async () => {
    const { outcome } = await send(json({ 'message-count': 1, messages: [{ status: 0, 'message-price': 0.0333 }] }));
    expect(outcome).toMatchObject({ kind: 'sent', totalPrice: '0.03330000', parts: [{ status: 0, price: '0.03330000' }] });
  });

  it('reports a mix of accepted and refused parts as "partial"', async () => {
    const { outcome } = await send(json({
      'message-count': '2',
      messages: [
        { status: '0', 'message-id': 'A1', 'message-price': '0.03330000' },
        { status: '9', 'error-text': 'Quota Exceeded - rejected' },
      ],
    }));
    expect(outcome).toEqual({
      kind: 'partial',
      messageCount: 2,
      totalPrice: '0.03330000',
      parts: [
        { index: 0, status: 0, messageId: 'A1', price: '0.03330000' },
        { index: 1, status: 9 },
      ],
    });
  });

  it('reports a part throttled next to an accepted one as "partial", not "throttled"', async () => {
    const { outcome } = await send(json({ messages: [{ status: '0' }, { status: '1' }] }));
    expect(outcome.kind).toBe('partial');
  });

  it('reports no accepted part as "rejected", without the provider\'s error text', async () => {
    const { outcome } = await send(json({
      'message-count': '1',
      messages: [{ status: '29', 'error-text': 'Non White-listed Destination - rejected' }],
    }));
    expect(outcome).toEqual({
      kind: 'rejected',
      messageCount: 1,
      totalPrice: '0.00000000',
      parts: [{ index: 0, status: 29 }],
    });
    expect(JSON.stringify(outcome)).not.toContain('White-listed');
  });

  it('describes a status it does not know instead of failing', async () => {
    const { outcome } = await send(json({ messages: [{ status: '42' }] }));
    expect(outcome).toMatchObject({ kind: 'rejected', parts: [{ index: 0, status: 42 }] });
  });
});

describe('sendSms: throttling and authorisation', () => {
  it('reports status 1 in every part as "throttled"', async () => {
    const { outcome } = await send(json({
      messages: [{ status: '1', 'error-text': 'Throughput Rate Exceeded - please wait [ 978 ] and retry' }],
    }));
    expect(outcome).toEqual({ kind: 'throttled' });
  });

  it('reports HTTP 429 as "throttled"', async () => {
    expect((await send(json('Too Many Requests', 429))).outcome).toEqual({ kind: 'throttled' });
  });

  it.each([401, 403])('reports HTTP %i as "unauthorized"', async (status) => {
    expect((await send(json('{"error":"invalid token"}', status))).outcome).toEqual({ kind: 'unauthorized' });
  });
});

describe('sendSms: no usable answer', () => {
  it('reports a timeout as "unknown" after exactly one call (never retried)', async () => {
    const { outcome, calls } = await send(new ProviderTimeoutError('timed out'));
    expect(outcome).toEqual({ kind: 'unknown' });
    expect(calls).toHaveLength(1);
  });

  it('does not retry a network failure either', async () => {
    const { outcome, calls } = await send(new ProviderNetworkError('ECONNRESET'));
    expect(outcome).toEqual({ kind: 'failed', reason: 'network' });
    expect(calls).toHaveLength(1);
  });

  it('reports a redirect the consumer refused to follow', async () => {
    const { outcome } = await send(new ProviderRedirectError('redirected', { status: 302 }));
    expect(outcome).toEqual({ kind: 'failed', reason: 'redirect', status: 302 });
  });

  it('reports a 3xx response handed back as a response as a redirect', async () => {
    const { outcome } = await send(json('', 301));
    expect(outcome).toEqual({ kind: 'failed', reason: 'redirect', status: 301 });
  });

  it('reports any other provider failure as a network failure', async () => {
    const { outcome } = await send(new ProviderError('something else'));
    expect(outcome).toEqual({ kind: 'failed', reason: 'network' });
  });

  it('lets a programming error surface instead of disguising it', async () => {
    const { consumer } = scripted(new TypeError('bug'));
    await expect(createNexmoClient({ consumer, restUrl: REST }).sendSms(ACCESS, MESSAGE)).rejects.toThrow('bug');
  });

  it.each([500, 502, 503])('reports HTTP %i as a server error', async (status) => {
    const { outcome } = await send(json('<html>Bad Gateway</html>', status));
    expect(outcome).toEqual({ kind: 'failed', reason: 'server-error', status });
  });

  it.each([400, 404])('reports an unexpected HTTP %i as a bad reply', async (status) => {
    const { outcome } = await send(json('Not Found', status));
    expect(outcome).toEqual({ kind: 'failed', reason: 'bad-reply', status });
  });

  it.each([
    ['not JSON', 'secret-looking <html>'],
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
    ['no messages', '{}'],
    ['messages not an array', '{"messages":{"status":"0"}}'],
    ['an empty messages list', '{"message-count":"0","messages":[]}'],
    ['a message that is not an object', '{"messages":["0"]}'],
    ['a message without status', '{"messages":[{"message-id":"A1"}]}'],
    ['a boolean status', '{"messages":[{"status":true}]}'],
    ['a non-numeric status', '{"messages":[{"status":"ok"}]}'],
    ['a negative status', '{"messages":[{"status":"-1"}]}'],
    ['a fractional status', '{"messages":[{"status":0.5}]}'],
    ['a price that is not a number', '{"messages":[{"status":"0","message-price":"free"}]}'],
    ['a message-id that is not a string', '{"messages":[{"status":"0","message-id":12}]}'],
    ['a malformed message-count', '{"message-count":"two","messages":[{"status":"0"}]}'],
  ])('reports %s as a bad reply, without the body', async (_name, body) => {
    const { outcome } = await send(json(body));
    expect(outcome).toEqual({ kind: 'failed', reason: 'bad-reply', status: 200 });
  });
});

describe('getBalance', () => {
  async function balance(reply: Reply) {
    const { consumer, calls } = scripted(reply);
    const outcome = await createNexmoClient({ consumer, restUrl: `${REST}/` }).getBalance(ACCESS);
    return { outcome, calls };
  }

  it('signs a GET to /account/get-balance and returns the value', async () => {
    const { outcome, calls } = await balance(json('{"value": 10.17127500, "autoReload": false}'));
    expect(outcome).toEqual({ kind: 'ok', value: '10.17127500', autoReload: false });
    expect(calls).toEqual([
      { method: 'GET', url: 'http://127.0.0.1:3000/sandbox/account/get-balance', access: ACCESS, params: {} },
    ]);
  });

  it('reads autoReload when it is on', async () => {
    expect((await balance(json({ value: 3, autoReload: true }))).outcome).toEqual({ kind: 'ok', value: '3.00000000', autoReload: true });
  });

  it('accepts a value written as a decimal string and a missing autoReload', async () => {
    expect((await balance(json({ value: '2.50000000' }))).outcome).toEqual({ kind: 'ok', value: '2.50000000', autoReload: false });
  });

  it.each([401, 403])('reports HTTP %i as "unauthorized"', async (status) => {
    expect((await balance(json('', status))).outcome).toEqual({ kind: 'unauthorized' });
  });

  it.each([
    ['HTTP 500', json('', 500)],
    ['HTTP 302', json('', 302)],
    ['a body that is not JSON', json('<html>')],
    ['a missing value', json({ autoReload: false })],
    ['a non-numeric value', json({ value: 'lots' })],
    ['a non-boolean autoReload', json({ value: 1, autoReload: 'yes' })],
    ['a timeout', new ProviderTimeoutError('timed out')],
    ['a network failure', new ProviderNetworkError('ECONNREFUSED')],
  ])('reports %s as "unavailable"', async (_name, reply) => {
    expect((await balance(reply)).outcome).toEqual({ kind: 'unavailable' });
  });
});
