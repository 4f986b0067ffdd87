"""5. Pulse — keep an agent "active" in Mission Control; Ctrl+C says "terminating".
SPACEDUCK_BEAK_KEY=bk_... python3 pulse_loop.py"""
import os
import time

from spaceduck import SpaceDuck

duck = SpaceDuck(os.environ.get("SPACEDUCK_URL", "http://127.0.0.1:8080"), beak_key=os.environ["SPACEDUCK_BEAK_KEY"])
interval = float(os.environ.get("PULSE_INTERVAL", 60))  # inactive after 5 silent minutes
count = int(os.environ.get("PULSE_COUNT", 0))            # for demos and tests: stop after N pulses
start_time = time.time()


def report(r):
    print(f"[{time.strftime('%H:%M:%S')}] ✓ Pulse sent — {r['liveness']}, {r['active_bonds']} bonds")


# A background thread pulses now and every interval; leaving the block sends "terminating".
with duck.start_pulse(interval=interval, on_pulse=report,
                      meta=lambda: {"agent_version": "1.0.0", "uptime_seconds": int(time.time() - start_time)},
                      on_error=lambda e: print(f"✗ Pulse failed — will retry: {e}")) as pulse:
    try:
        while not count or pulse.count < count:
            time.sleep(0.05)  # your agent's work goes here
    except KeyboardInterrupt:
        pass
print(f"Stopped: {pulse.last['liveness']}")
