"""Bonus: the same agent with asyncio (AsyncSpaceDuck: standard library only).
SPACEDUCK_BEAK_KEY=bk_... python3 async_agent.py"""
import asyncio
import os

from spaceduck import AsyncSpaceDuck


async def main():
    async with AsyncSpaceDuck(os.environ.get("SPACEDUCK_URL", "http://127.0.0.1:8080"), beak_key=os.environ["SPACEDUCK_BEAK_KEY"]) as duck:
        async with duck.start_pulse(interval=float(os.environ.get("PULSE_INTERVAL", 60)), meta={"mode": "async"}) as pulse:
            await asyncio.sleep(float(os.environ.get("RUN_SECONDS", 1)))  # your agent's work goes here
        print(f"pulses sent: {pulse.count}, now {pulse.last['liveness']}")

asyncio.run(main())
