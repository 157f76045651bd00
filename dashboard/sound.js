/* global window */
// One AudioContext, created on the sign-in click: browsers start audio only after a user gesture.
let context;

export function unlockAudio() {
  const Ctx = window.AudioContext ?? window.webkitAudioContext;
  if (!Ctx) return;
  context ??= new Ctx();
  if (context.state === 'suspended') context.resume().catch(() => undefined);
}

/** Three short high beeps: an emergency alert arrived. */
export function beep() {
  if (!context || context.state !== 'running') return;
  const start = context.currentTime;
  for (let i = 0; i < 3; i++) {
    const osc = context.createOscillator();
    const gain = context.createGain();
    osc.type = 'square';
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.08, start + i * 0.25);
    gain.gain.setValueAtTime(0, start + i * 0.25 + 0.15);
    osc.connect(gain).connect(context.destination);
    osc.start(start + i * 0.25);
    osc.stop(start + i * 0.25 + 0.16);
  }
}
