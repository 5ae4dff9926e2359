/**
 * The only place the sandbox reads the environment: the standalone server's settings, parsed and
 * checked once. An error names the variable at fault.
 *
 * SANDBOX_PORT (default 4000), SANDBOX_HOST (default 127.0.0.1), optionally
 * SANDBOX_CONSUMER_KEY + SANDBOX_CONSUMER_SECRET to keep the same credentials across restarts,
 * and SANDBOX_SIGNATURE_SECRET (+ SANDBOX_SIGNATURE_METHOD, default md5hash) to sign receipts.
 */
import { RECEIPT_SIGNATURE_METHODS, type ReceiptSignature, type ReceiptSignatureMethod } from './receiptSigning.js';

export interface StandaloneConfig {
  port: number;
  host: string;
  consumerKey: string | undefined;
  consumerSecret: string | undefined;
  /** Signs every delivery receipt, as Nexmo does for accounts that ask (default: unsigned). */
  receiptSignature?: ReceiptSignature | undefined;
}

export function readConfig(env: NodeJS.ProcessEnv): StandaloneConfig {
  const rawPort = env['SANDBOX_PORT'] ?? '4000';
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65535) {
    throw new Error(`SANDBOX_PORT must be a port number (0-65535), got "${rawPort}"`);
  }
  const consumerKey = env['SANDBOX_CONSUMER_KEY'] || undefined;
  const consumerSecret = env['SANDBOX_CONSUMER_SECRET'] || undefined;
  if ((consumerKey === undefined) !== (consumerSecret === undefined)) {
    throw new Error('set both SANDBOX_CONSUMER_KEY and SANDBOX_CONSUMER_SECRET, or neither');
  }
  const secret = env['SANDBOX_SIGNATURE_SECRET'] || undefined;
  const method = env['SANDBOX_SIGNATURE_METHOD'] || undefined;
  if (method !== undefined && !(RECEIPT_SIGNATURE_METHODS as readonly string[]).includes(method)) {
    throw new Error(`SANDBOX_SIGNATURE_METHOD must be one of ${RECEIPT_SIGNATURE_METHODS.join(', ')}`);
  }
  if (method !== undefined && secret === undefined) throw new Error('SANDBOX_SIGNATURE_METHOD needs SANDBOX_SIGNATURE_SECRET');
  const receiptSignature = secret === undefined ? undefined : { secret, method: (method ?? 'md5hash') as ReceiptSignatureMethod };
  return { port, host: env['SANDBOX_HOST'] || '127.0.0.1', consumerKey, consumerSecret, receiptSignature };
}
