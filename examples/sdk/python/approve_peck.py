"""4. Approve Peck — accept a trust bond as its target (your credentials, the emailed code, or both).
SPACEDUCK_BEAK_KEY=bk_... python3 approve_peck.py peck_... [code]"""
import os
import sys

from spaceduck import OtpError, SpaceDuck

duck = SpaceDuck(os.environ.get("SPACEDUCK_URL", "http://127.0.0.1:8080"), beak_key=os.environ["SPACEDUCK_BEAK_KEY"])
peck_id = sys.argv[1] if len(sys.argv) > 1 else os.environ["PECK_ID"]
otp = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("PECK_OTP")  # optional with your own key

try:
    bond = duck.pecks.approve(peck_id, otp=otp)
except OtpError as err:  # E4005 wrong code, E4006 expired (10 minutes)
    sys.exit("The peck has expired." if err.expired else "Wrong code.")
print(f"Bond created! connection_id={bond['connection_id']}")
print(f"Bond status: {bond['status']}")
