"""The whole OAuth 1.0a flow against the sandbox with requests-oauthlib, used the way its
documentation shows: OAuth1Session with a callback, fetch_request_token, the user's consent,
parse_authorization_response, fetch_access_token, then a signed SMS send (form POST) and a
signed balance lookup.

Usage: python3 requests_oauthlib_flow.py BASE_URL CONSUMER_KEY CONSUMER_SECRET
(or SANDBOX_URL, SANDBOX_CONSUMER_KEY, SANDBOX_CONSUMER_SECRET; SMS_TEXT overrides the text;
SANDBOX_ACCOUNT types that account name on the consent page; without it the script posts no
account and gets a fresh account of its own).
BASE_URL must use the host name the requests are sent to: it is part of the signature.

Prints one JSON object with what every step got. Exits 0 when the script ran to the end,
whatever the sandbox answered; the caller judges the answers.
"""

import json
import os
import sys
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import requests
import requests_oauthlib
from requests_oauthlib import OAuth1Session
from requests_oauthlib.oauth1_session import TokenRequestDenied

DEFAULT_TEXT = "Grüße !*'()&=+ \"q\" 🎉\nline2"
# The consumer's callback, with a query of its own that the provider must keep.
CALLBACK = "http://127.0.0.1:9/nexmo/callback?client=requests-oauthlib"
TIMEOUT = 10


class ConsentForm(HTMLParser):
    """The consent form's action and hidden fields (oauth_token, consent_nonce)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.action = None
        self.fields = {}
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = unescape(attributes.get("action") or "")
            self._in_form = True
        elif tag == "input" and self._in_form and attributes.get("type") == "hidden":
            self.fields[attributes.get("name") or ""] = attributes.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False


def reply(response):
    """Status and body of a response, the body parsed when it is JSON or form-encoded."""
    content_type = response.headers.get("Content-Type", "")
    parsed = None
    if "json" in content_type:
        parsed = response.json()
    elif "x-www-form-urlencoded" in content_type:
        parsed = {k: v[0] for k, v in parse_qs(response.text, keep_blank_values=True).items()}
    return {"status": response.status_code, "body": response.text, "parsed": parsed}


def main():
    args = sys.argv[1:]
    base = (args[0] if len(args) > 0 else os.environ.get("SANDBOX_URL", "")).rstrip("/")
    key = args[1] if len(args) > 1 else os.environ.get("SANDBOX_CONSUMER_KEY", "")
    secret = args[2] if len(args) > 2 else os.environ.get("SANDBOX_CONSUMER_SECRET", "")
    text = os.environ.get("SMS_TEXT", DEFAULT_TEXT)
    if not (base and key and secret):
        print("usage: python3 requests_oauthlib_flow.py BASE_URL CONSUMER_KEY CONSUMER_SECRET", file=sys.stderr)
        return 2

    result = {
        "client": "requests-oauthlib %s (requests %s, Python %s)"
        % (requests_oauthlib.__version__, requests.__version__, sys.version.split()[0]),
        "text": text,
    }
    try:
        run(base, key, secret, text, result)
    except Exception as e:  # reported in the JSON, so the caller sees how far the flow got
        result["error"] = "%s: %s" % (type(e).__name__, e)
    print(json.dumps(result, ensure_ascii=False))
    return 0


def run(base, key, secret, text, result):
    oauth = OAuth1Session(key, client_secret=secret, callback_uri=CALLBACK)

    # 1. Request token (RFC 5849 §2.1).
    request_token = oauth.fetch_request_token(base + "/oauth/request_token", timeout=TIMEOUT)
    result["request_token"] = {
        "oauth_callback_confirmed": request_token.get("oauth_callback_confirmed"),
        "has_token": bool(request_token.get("oauth_token") and request_token.get("oauth_token_secret")),
    }

    # 2. The user: open the consent page, press Authorize, read where the browser is sent.
    authorize_url = oauth.authorization_url(base + "/oauth/authorize")
    browser = requests.Session()
    page = browser.get(authorize_url, timeout=TIMEOUT)
    form = ConsentForm()
    form.feed(page.text)
    if form.action is None:
        raise RuntimeError("no form on the consent page")
    fields = dict(form.fields, decision="authorize")
    if os.environ.get("SANDBOX_ACCOUNT"):
        fields["account_name"] = os.environ["SANDBOX_ACCOUNT"]
    decision = browser.post(urljoin(page.url, form.action), data=fields, allow_redirects=False, timeout=TIMEOUT)
    location = decision.headers.get("Location", "")
    back = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    result["consent"] = {
        "page_status": page.status_code,
        "hidden_fields": sorted(form.fields),
        "decision_status": decision.status_code,
        "location": location,
        "callback_kept": location.startswith(CALLBACK + "&"),
        "token_matches": back.get("oauth_token") == request_token.get("oauth_token"),
        "has_verifier": "oauth_verifier" in back,
    }

    # 3. Access token (RFC 5849 §2.3): the library reads the verifier from the callback URL.
    oauth.parse_authorization_response(location)
    access_token = oauth.fetch_access_token(base + "/oauth/access_token", timeout=TIMEOUT)
    result["access_token"] = {
        "has_token": bool(access_token.get("oauth_token") and access_token.get("oauth_token_secret")),
        "username": access_token.get("username"),
    }

    # Negative case: the same request token and verifier once more. It must be refused.
    replay = OAuth1Session(
        key,
        client_secret=secret,
        resource_owner_key=request_token["oauth_token"],
        resource_owner_secret=request_token["oauth_token_secret"],
        verifier=back.get("oauth_verifier"),
    )
    try:
        replay.fetch_access_token(base + "/oauth/access_token", timeout=TIMEOUT)
        result["replay"] = {"status": 200, "exception": None}
    except TokenRequestDenied as e:
        result["replay"] = dict(reply(e.response), exception=str(e))

    # 4. Nexmo's API, signed with the access token (the session now holds it).
    result["balance_before"] = reply(oauth.get(base + "/account/get-balance", timeout=TIMEOUT))
    sms = {"from": "ReqOAuthlib", "to": "447700900123", "type": "unicode", "text": text}
    result["sms"] = reply(oauth.post(base + "/sms/json", data=sms, timeout=TIMEOUT))
    result["balance_after"] = reply(oauth.get(base + "/account/get-balance", timeout=TIMEOUT))


if __name__ == "__main__":
    sys.exit(main())
