"""6. Rotate Key — a fresh Beak Key; the old one stops working at once.
SPACEDUCK_BEAK_KEY=bk_... python3 rotate_key.py"""
import os

from spaceduck import SpaceDuck

duck = SpaceDuck(os.environ.get("SPACEDUCK_URL", "http://127.0.0.1:8080"),
                 beak_key=os.environ["SPACEDUCK_BEAK_KEY"])  # load from the environment, never hard-code

# Rotates the key this client authenticates with and switches the client to the new one.
# Never retried after a lost answer: only that answer held the new key.
new_key = duck.rotate_key()  # rotate_key(grace_seconds=300) keeps the old one working 5 minutes
print("✓ Key rotated. New key (update your secrets store):")
print(f"  {new_key}")
