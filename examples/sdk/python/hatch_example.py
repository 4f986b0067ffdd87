"""1. Hatch — register a new duckling (POST /beak/signup + /beak/verify, T0 -> T1).
python3 hatch_example.py you@example.com     (SPACEDUCK_URL defaults to http://127.0.0.1:8080)"""
import os
import sys

from spaceduck import SpaceDuck

duck = SpaceDuck(os.environ.get("SPACEDUCK_URL", "http://127.0.0.1:8080"))
email = sys.argv[1] if len(sys.argv) > 1 else os.environ["SPACEDUCK_EMAIL"]

# Step 1: sign up. The email is the identity anchor; a verification code is mailed to it.
hatched = duck.hatch(email, display_name=os.environ.get("DISPLAY_NAME"))
print(f"Hatched {hatched['display_name']} ({hatched['duckling_id']}) at {hatched['trust_tier']}")

# Step 2: the code from the email. A development server keeps mail in its dev mailbox.
if os.environ.get("SPACEDUCK_DEV_MAILBOX"):
    code = duck.dev_mailbox(email)["messages"][0]["otp"]
else:
    code = input("Enter the code from your email: ")
verified = duck.verify(email, code.strip())

# Step 3: store the Beak Key now — it is shown only in this answer.
print(f"Verified: {verified['duckling_id']} is {verified['trust_tier']}")
print(f"Cert ID: {verified['cert_id']}")
print(f"Beak Key (store safely): {verified['beak_key']}")
