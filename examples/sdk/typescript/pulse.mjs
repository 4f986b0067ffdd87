// 5. Pulse — keep an agent "active" in Mission Control; Ctrl+C says "terminating".
//    SPACEDUCK_BEAK_KEY=bk_… node pulse.mjs
import { SpaceDuck } from '@spaceduck/sdk';

const duck = new SpaceDuck({ baseUrl: process.env.SPACEDUCK_URL ?? 'http://127.0.0.1:8080', beakKey: process.env.SPACEDUCK_BEAK_KEY });
const started = Date.now();
const intervalMs = Number(process.env.PULSE_INTERVAL ?? 60) * 1000; // inactive after 5 silent minutes

const pulse = duck.startPulse({
  intervalMs,
  meta: () => ({ agent_version: '1.0.0', uptime_seconds: Math.round((Date.now() - started) / 1000) }),
  onPulse: (r) => console.log(`[${new Date().toISOString().slice(11, 19)}] ✓ Pulse sent — ${r.liveness}, ${r.active_bonds} bonds`),
  onError: (e) => console.log(`✗ Pulse failed — will retry: ${e.message}`),
});

const stop = async () => {
  const last = await pulse.stop(); // sends status "terminating"
  console.log(`Stopped: ${last.liveness}`);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
if (process.env.PULSE_COUNT) { // for demos and tests: stop after N pulses
  const timer = setInterval(() => { if (pulse.count >= Number(process.env.PULSE_COUNT)) { clearInterval(timer); stop(); } }, 50);
}
