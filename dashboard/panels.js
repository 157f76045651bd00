/* global document, FormData */
import { api } from './api.js';
import { beep } from './sound.js';

const el = (tag, props = {}, children = []) => {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
};
const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '');
const FINISHED = new Set(['completed', 'cancelled', 'expired']);
/** Finished trips stay listed (greyed) until this many newer ones push them out. */
const MAX_TRIPS_SHOWN = 60;

/** Trips, newest change first; finished ones stay a while. */
export function createTripsPanel(tbody, onCount) {
  const trips = new Map();
  function render() {
    const rows = [...trips.values()].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, MAX_TRIPS_SHOWN);
    tbody.replaceChildren(...rows.map((t) => el('tr', { id: `trip-${t.id}` }, [
      el('td', { textContent: t.id.slice(0, 8), title: t.id }),
      el('td', {}, [el('span', { className: `status ${t.status}`, textContent: t.status.replace('_', ' ') })]),
      el('td', { textContent: t.passengerName || t.passengerId, title: t.passengerId }),
      el('td', { textContent: t.driverId ?? '—' }),
      el('td', { textContent: time(t.updatedAt) }),
    ])));
    onCount([...trips.values()].filter((t) => !FINISHED.has(t.status)).length);
  }
  return {
    reset(list) {
      trips.clear();
      for (const t of list) trips.set(t.id, t);
      render();
    },
    update(trip) {
      trips.set(trip.id, trip);
      render();
    },
  };
}

/** Alerts: a new open one beeps, flashes and shows a banner; Acknowledge goes through the HTTP API. */
export function createAlertsPanel(list, banner, onCount) {
  const alerts = new Map();
  function render() {
    const rows = [...alerts.values()].sort((a, b) => (a.status === b.status ? b.timestamp.localeCompare(a.timestamp) : a.status === 'open' ? -1 : 1));
    list.replaceChildren(...rows.map((a) => {
      const item = el('li', { id: `alert-${a.id}`, className: `${a.severity} ${a.status}${a.fresh ? ' fresh' : ''}` }, [
        el('strong', { textContent: `${a.severity.toUpperCase()} · ${a.title}` }),
        el('div', { textContent: a.message }),
        el('div', { className: 'meta', textContent: `${time(a.timestamp)}${a.userId ? ` · user ${a.userId}` : ''}${a.vehicleId ? ` · vehicle ${a.vehicleId}` : ''} · ${a.location.latitude.toFixed(4)}, ${a.location.longitude.toFixed(4)}` }),
      ]);
      if (a.status === 'open') {
        const button = el('button', { type: 'button', textContent: 'Acknowledge', className: 'ack' });
        button.addEventListener('click', () => acknowledge(a.id, button));
        item.append(button);
      } else {
        item.append(el('div', { className: 'meta', textContent: `acknowledged by ${a.acknowledgedBy ?? '?'} at ${time(a.acknowledgedAt)}` }));
      }
      return item;
    }));
    const open = rows.filter((a) => a.status === 'open');
    banner.hidden = open.length === 0;
    banner.textContent = open.length ? `${open.length} open emergency alert${open.length > 1 ? 's' : ''}: ${open[0].title}` : '';
    onCount(open.length);
  }
  async function acknowledge(id, button) {
    button.disabled = true;
    try {
      update(await api(`/api/alerts/${encodeURIComponent(id)}/acknowledge`, { method: 'POST' }));
    } catch (err) {
      button.disabled = false;
      button.textContent = `Acknowledge (failed: ${err.message})`;
    }
  }
  function update(alert, { announce = false } = {}) {
    const known = alerts.get(alert.id);
    const fresh = announce && alert.status === 'open' && !known;
    alerts.set(alert.id, { ...alert, fresh });
    if (fresh) beep();
    render();
  }
  return {
    reset(list) {
      alerts.clear();
      for (const a of list) alerts.set(a.id, a);
      render();
    },
    update,
  };
}

/** Sockets per node and transport, from GET /api/connections. */
export async function refreshConnections(tbody) {
  const { connections } = await api('/api/connections');
  const groups = new Map();
  for (const c of connections) {
    const key = `${c.nodeId}\u0000${c.transport}`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  tbody.replaceChildren(...[...groups].sort().map(([key, n]) => {
    const [node, transport] = key.split('\u0000');
    return el('tr', {}, [el('td', { textContent: node, title: node }), el('td', { textContent: transport }), el('td', { textContent: String(n) })]);
  }));
}

/** The composer: one user, or everyone online (a broadcast, not stored). */
export function attachComposer(form, output) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const userId = String(data.get('userId') ?? '').trim();
    const notification = { type: data.get('type'), title: String(data.get('title') ?? ''), message: String(data.get('message') ?? '') };
    output.value = 'sending…';
    try {
      const result = await api('/api/notifications', { body: userId ? { userId, notification } : { broadcast: true, notification } });
      output.value = result.broadcast ? 'sent to everyone online' : `sent to ${userId} (${result.id})`;
      form.elements.message.value = '';
    } catch (err) {
      output.value = `not sent: ${err.code} — ${err.message}`;
    }
  });
}
