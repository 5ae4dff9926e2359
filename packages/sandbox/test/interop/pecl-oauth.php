<?php
/**
 * The whole OAuth 1.0a flow against the sandbox with the PECL OAuth extension, used the way
 * Nexmo's original PHP sample used it: request token with a callback, the user's consent, the
 * access token, then a signed SMS send (form POST) and a signed balance lookup.
 *
 * Usage: php pecl-oauth.php BASE_URL CONSUMER_KEY CONSUMER_SECRET
 * (or SANDBOX_URL, SANDBOX_CONSUMER_KEY, SANDBOX_CONSUMER_SECRET; SMS_TEXT overrides the text;
 * SANDBOX_ACCOUNT types that account name on the consent page; without it the script posts no
 * account and gets a fresh account of its own).
 * BASE_URL must use the host name the requests are sent to: it is part of the signature.
 *
 * Prints one JSON object with what every step got. Exits 0 when the script ran to the end,
 * whatever the sandbox answered; the caller judges the answers.
 */

declare(strict_types=1);

const DEFAULT_TEXT = "Grüße !*'()&=+ \"q\" 🎉\nline2";

$base = rtrim((string) ($argv[1] ?? getenv('SANDBOX_URL') ?: ''), '/');
$key = (string) ($argv[2] ?? getenv('SANDBOX_CONSUMER_KEY') ?: '');
$secret = (string) ($argv[3] ?? getenv('SANDBOX_CONSUMER_SECRET') ?: '');
$text = getenv('SMS_TEXT') !== false ? (string) getenv('SMS_TEXT') : DEFAULT_TEXT;
$account = (string) (getenv('SANDBOX_ACCOUNT') ?: '');
if ($base === '' || $key === '' || $secret === '') {
    fwrite(STDERR, "usage: php pecl-oauth.php BASE_URL CONSUMER_KEY CONSUMER_SECRET\n");
    exit(2);
}
if (!extension_loaded('oauth')) {
    fwrite(STDERR, "the PECL OAuth extension is not loaded (Debian: apt-get install php-oauth)\n");
    exit(2);
}

// The consumer's callback, with a query of its own that the provider must keep.
$callback = 'http://127.0.0.1:9/nexmo/callback?client=pecl';
$result = [
    'client' => 'pecl-oauth ' . phpversion('oauth') . ' (PHP ' . PHP_VERSION . ')',
    'text' => $text,
];

try {
    $oauth = new OAuth($key, $secret, OAUTH_SIG_METHOD_HMACSHA1, OAUTH_AUTH_TYPE_AUTHORIZATION);
    $oauth->setVersion('1.0');

    // 1. Request token (RFC 5849 §2.1).
    $requestToken = $oauth->getRequestToken("$base/oauth/request_token", $callback);
    $result['request_token'] = [
        'status' => $oauth->getLastResponseInfo()['http_code'] ?? null,
        'oauth_callback_confirmed' => $requestToken['oauth_callback_confirmed'] ?? null,
        'has_token' => isset($requestToken['oauth_token'], $requestToken['oauth_token_secret']),
    ];

    // 2. The user: open the consent page, press Authorize, read where the browser is sent.
    $authorizeUrl = "$base/oauth/authorize?oauth_token=" . rawurlencode($requestToken['oauth_token']);
    $page = httpRequest('GET', $authorizeUrl);
    $form = consentForm($page['body'], $authorizeUrl);
    $fields = $form['fields'];
    if ($account !== '') {
        $fields['account_name'] = $account;
    }
    $fields['decision'] = 'authorize';
    $decision = httpRequest('POST', $form['action'], http_build_query($fields, '', '&', PHP_QUERY_RFC3986));
    $location = $decision['headers']['location'] ?? '';
    parse_str((string) parse_url($location, PHP_URL_QUERY), $back);
    $result['consent'] = [
        'page_status' => $page['status'],
        'hidden_fields' => array_keys($form['fields']),
        'decision_status' => $decision['status'],
        'location' => $location,
        'callback_kept' => str_starts_with($location, $callback . '&'),
        'token_matches' => ($back['oauth_token'] ?? null) === $requestToken['oauth_token'],
        'has_verifier' => isset($back['oauth_verifier']),
    ];
    $verifier = (string) ($back['oauth_verifier'] ?? '');

    // 3. Access token (RFC 5849 §2.3).
    $oauth->setToken($requestToken['oauth_token'], $requestToken['oauth_token_secret']);
    $accessToken = $oauth->getAccessToken("$base/oauth/access_token", '', $verifier);
    $result['access_token'] = [
        'status' => $oauth->getLastResponseInfo()['http_code'] ?? null,
        'has_token' => isset($accessToken['oauth_token'], $accessToken['oauth_token_secret']),
        'username' => $accessToken['username'] ?? null,
    ];

    // Negative case: the same request token and verifier once more. It must be refused.
    $result['replay'] = attempt($oauth, fn () => $oauth->getAccessToken("$base/oauth/access_token", '', $verifier));

    // 4. Nexmo's API, signed with the access token.
    $oauth->setToken($accessToken['oauth_token'], $accessToken['oauth_token_secret']);
    $result['balance_before'] = attempt($oauth, fn () => $oauth->fetch("$base/account/get-balance", [], OAUTH_HTTP_METHOD_GET));
    $sms = ['from' => 'PECLOAuth', 'to' => '447700900123', 'type' => 'unicode', 'text' => $text];
    $result['sms'] = attempt($oauth, fn () => $oauth->fetch("$base/sms/json", $sms, OAUTH_HTTP_METHOD_POST));
    $result['balance_after'] = attempt($oauth, fn () => $oauth->fetch("$base/account/get-balance", [], OAUTH_HTTP_METHOD_GET));
} catch (Throwable $e) {
    $result['error'] = get_class($e) . ': ' . $e->getMessage();
    if ($e instanceof OAuthException) {
        $result['error_response'] = $e->lastResponse ?? null;
    }
}

echo json_encode($result, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE), "\n";

/**
 * Runs one signed call. PECL throws OAuthException on anything but 2xx; the status and body are
 * then read from the last response, as an application would.
 */
function attempt(OAuth $oauth, callable $call): array
{
    try {
        $call();
        $outcome = ['exception' => null];
    } catch (OAuthException $e) {
        $outcome = ['exception' => $e->getMessage()];
    }
    $info = $oauth->getLastResponseInfo();
    $body = (string) $oauth->getLastResponse();
    $type = (string) ($info['content_type'] ?? '');
    if (str_contains($type, 'json')) {
        $parsed = json_decode($body, true);
    } elseif (str_contains($type, 'x-www-form-urlencoded')) {
        parse_str($body, $parsed);
    } else {
        $parsed = null;
    }
    return ['status' => $info['http_code'] ?? null, 'body' => $body, 'parsed' => $parsed] + $outcome;
}

/** A plain HTTP request, as a browser would make it: no OAuth, no redirects followed. */
function httpRequest(string $method, string $url, ?string $form = null): array
{
    $headers = ['Accept: text/html'];
    if ($form !== null) {
        $headers[] = 'Content-Type: application/x-www-form-urlencoded';
    }
    $context = stream_context_create(['http' => [
        'method' => $method,
        'header' => implode("\r\n", $headers),
        'content' => $form ?? '',
        'follow_location' => 0,
        'ignore_errors' => true,
        'timeout' => 10,
    ]]);
    $body = file_get_contents($url, false, $context);
    if ($body === false) {
        throw new RuntimeException("$method $url failed");
    }
    $responseHeaders = $http_response_header;
    $status = (int) (explode(' ', $responseHeaders[0] ?? '', 3)[1] ?? 0);
    $parsed = [];
    foreach (array_slice($responseHeaders, 1) as $line) {
        $colon = strpos($line, ':');
        if ($colon !== false) {
            $parsed[strtolower(trim(substr($line, 0, $colon)))] = trim(substr($line, $colon + 1));
        }
    }
    return ['status' => $status, 'headers' => $parsed, 'body' => $body];
}

/** The consent form's action and hidden fields (oauth_token, consent_nonce). */
function consentForm(string $html, string $pageUrl): array
{
    if (!preg_match('/<form\b[^>]*\baction="([^"]*)"[^>]*>(.*?)<\/form>/is', $html, $form)) {
        throw new RuntimeException('no form on the consent page');
    }
    $action = html_entity_decode($form[1], ENT_QUOTES | ENT_HTML5, 'UTF-8');
    if (!preg_match('~^https?://~i', $action)) {
        $parts = parse_url($pageUrl);
        $origin = $parts['scheme'] . '://' . $parts['host'] . (isset($parts['port']) ? ':' . $parts['port'] : '');
        $action = $origin . $action;
    }
    $fields = [];
    preg_match_all('/<input\b[^>]*>/i', $form[2], $inputs);
    foreach ($inputs[0] as $input) {
        if (!preg_match('/\btype="hidden"/i', $input)
            || !preg_match('/\bname="([^"]*)"/i', $input, $name)
            || !preg_match('/\bvalue="([^"]*)"/i', $input, $value)) {
            continue;
        }
        $fields[html_entity_decode($name[1], ENT_QUOTES | ENT_HTML5, 'UTF-8')] =
            html_entity_decode($value[1], ENT_QUOTES | ENT_HTML5, 'UTF-8');
    }
    return ['action' => $action, 'fields' => $fields];
}
