"""3. Peck — ask another Space Duck for a trust bond (it has 10 minutes to approve).
SPACEDUCK_BEAK_KEY=bk_... python3 peck_example.py target@example.com"""
import os
import sys

from spaceduck import SpaceDuck

duck = SpaceDuck(os.environ.get("SPACEDUCK_URL", "http://127.0.0.1:8080"),
                 beak_key=os.environ["SPACEDUCK_BEAK_KEY"])  # never hard-code keys
target = sys.argv[1] if len(sys.argv) > 1 else os.environ["TARGET_EMAIL"]

# The target's operator is emailed your name, tier, purpose, the peck id and a code.
# An Idempotency-Key is sent, so a retry after a lost answer never pecks twice.
peck = duck.pecks.send(target_email=target, purpose="Agent fleet coordination")
print(f"Peck sent! peck_id={peck['peck_id']}")
print(f"Target has until {peck['expires_at']} to approve.")
