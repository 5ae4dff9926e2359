#!/usr/bin/env python3
"""The whole OAuth 1.0a dance with Nexmo, by hand, as Nexmo's PHP sample did it: a request token,
the authorize page opened by you, the verifier pasted back (an "oob" callback: the provider shows
it on its page instead of redirecting), the access token, and one signed SMS.

    pip install requests-oauthlib
    NEXMO_CONSUMER_KEY=... NEXMO_CONSUMER_SECRET=... SMS_TO=447700900000 python3 oauth_dance.py

NEXMO_OAUTH_URL (default https://dashboard.nexmo.com/oauth/) and NEXMO_REST_URL (default
https://rest.nexmo.com) point it elsewhere, e.g. at the sandbox run alone with `npm run sandbox`
(http://127.0.0.1:4000/oauth/ and http://127.0.0.1:4000). SMS_FROM and SMS_TEXT choose the
sender and the text.
"""
import os
import sys

from requests_oauthlib import OAuth1Session


def env(name, fallback=None):
    value = os.environ.get(name, fallback)
    if not value:
        sys.exit(f"Set {name}.")
    return value


oauth_url = env("NEXMO_OAUTH_URL", "https://dashboard.nexmo.com/oauth/").rstrip("/") + "/"
rest_url = env("NEXMO_REST_URL", "https://rest.nexmo.com").rstrip("/")
key, secret = env("NEXMO_CONSUMER_KEY"), env("NEXMO_CONSUMER_SECRET")

# Leg 1: a request token, for an out-of-band callback.
session = OAuth1Session(key, client_secret=secret, callback_uri="oob")
request = session.fetch_request_token(oauth_url + "request_token")
if request.get("oauth_callback_confirmed") != "true":
    sys.exit("The provider did not confirm the callback (an OAuth 1.0 provider, not 1.0a).")

# Leg 2: you approve on the provider's page, which then shows the verifier.
print("Open this page, approve, and paste the verifier it shows:")
print(session.authorization_url(oauth_url + "authorize"))
verifier = input("Verifier: ").strip()

# Leg 3: the request token and the verifier for an access token.
session = OAuth1Session(
    key,
    client_secret=secret,
    resource_owner_key=request["oauth_token"],
    resource_owner_secret=request["oauth_token_secret"],
    verifier=verifier,
)
access = session.fetch_access_token(oauth_url + "access_token")
print("Connected" + (f" as {access['username']}" if access.get("username") else "") + ".")

# A signed API call: the SMS as a form POST, one value per key.
api = OAuth1Session(key, client_secret=secret, resource_owner_key=access["oauth_token"], resource_owner_secret=access["oauth_token_secret"])
form = {
    "from": os.environ.get("SMS_FROM", "OAuthDance"),
    "to": env("SMS_TO"),
    "text": os.environ.get("SMS_TEXT", "Hello from the OAuth 1.0a dance"),
}
reply = api.post(rest_url + "/sms/json", data=form)
print(reply.text)
