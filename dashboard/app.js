/* global document, window */
import { io } from './vendor/socket.io/socket.io.esm.min.js';
import { api, session } from './api.js';
import { startCharts } from './charts.js';
import { createLiveMap } from './map.js';
import { attachComposer, createAlertsPanel, createTripsPanel, refreshConnections } from './panels.js';
import { unlockAudio } from './sound.js';

/** How often the connection table and the charts are refreshed from the HTTP API. */
const POLL_MS = 3_000;
const $ = (id) => document.getElementById(id);

let socket;
let poller;
let liveMap;

function showSignIn(message = '') {
  socket?.close();
  socket = undefined;
  clearInterval(poller);
  $('main').hidden = true;
  $('signin').hidden = false;
  $('signin-error').textContent = message;
}

async function signIn(token) {
  // Checks the token against the API first: a clear message instead of a socket that never connects.
  try {
    await api('/api/metrics', { token });
  } catch (err) {
    session.clear();
    return showSignIn(err.status === 401 || err.status === 403 ? `Not an admin token: ${err.message}` : `The gateway did not answer: ${err.message}`);
  }
  session.save(token);
  $('signin').hidden = true;
  $('main').hidden = false;
  await start(token);
}

async function start(token) {
  const config = await (await fetch('config.json')).json();
  liveMap ??= createLiveMap($('map'), config);
  liveMap.map.invalidateSize();
  const counts = { trips: 0, alerts: 0 };
  const showCounts = () => {
    const c = liveMap.counts();
    $('count-drivers').textContent = c.drivers;
    $('count-vehicles').textContent = c.vehicles;
    $('count-trips').textContent = counts.trips;
    $('count-alerts').textContent = counts.alerts;
  };
  const trips = createTripsPanel($('trips'), (n) => void (counts.trips = n));
  const alerts = createAlertsPanel($('alerts'), $('alert-banner'), (n) => void (counts.alerts = n));

  // The dashboard's own namespace on this gateway: same origin, so no CORS_ORIGINS entry is needed.
  socket = io('/admin', { auth: { token }, transports: ['websocket', 'polling'] });
  const link = (state) => Object.assign($('link'), { textContent: state }).setAttribute('data-state', state);
  socket.on('connect', () => {
    link('live');
    // On every (re)connect: a fresh snapshot, then batches.
    socket.emit('dashboard:watch', (answer) => {
      if (!answer?.success) return console.warn('dashboard:watch refused', answer?.error);
      const snap = answer.data;
      liveMap.apply(snap);
      trips.reset(snap.trips);
      alerts.reset(snap.alerts);
      showCounts();
    });
  });
  socket.on('disconnect', () => link('offline'));
  socket.on('connect_error', (err) => {
    if (err.data?.code === 'AUTH_FAILED' || err.data?.code === 'FORBIDDEN') {
      session.clear();
      showSignIn(`Signed out: ${err.data.message}`);
    } else link('offline');
  });
  socket.on('auth_error', (e) => {
    session.clear();
    showSignIn(`Signed out: ${e.message}`);
  });
  socket.on('dashboard:positions', (batch) => {
    liveMap.apply(batch);
    showCounts();
  });
  socket.on('dashboard:trip', (trip) => {
    trips.update(trip);
    showCounts();
  });
  socket.on('dashboard:alert', (alert) => {
    alerts.update(alert, { announce: true });
    showCounts();
  });

  const charts = startCharts({ connections: $('chart-connections'), events: $('chart-events'), latency: $('chart-latency') });
  const poll = () => {
    refreshConnections($('connections')).catch((err) => console.warn('connections', err.message));
    charts.poll().catch((err) => console.warn('metrics', err.message));
  };
  poll();
  clearInterval(poller);
  poller = setInterval(poll, POLL_MS);
}

$('signin-form').addEventListener('submit', (event) => {
  event.preventDefault();
  unlockAudio();
  void signIn($('token').value.trim());
});
$('signout').addEventListener('click', () => {
  session.clear();
  showSignIn();
});
attachComposer($('composer'), $('composer-result'));

// The inspection hook tests and operators' scripts read (the map is a canvas).
window.livegateDashboard = { driver: (id) => liveMap?.driver(id), counts: () => liveMap?.counts() };

const saved = session.token();
if (saved) void signIn(saved);
