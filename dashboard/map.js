import * as L from './vendor/leaflet/leaflet-src.esm.js';

// Colours by state (style.css has the same legend).
const DRIVER_COLOURS = { available: '#16a34a', busy: '#d97706', on_trip: '#2563eb', offline: '#9ca3af' };
const VEHICLE_COLOURS = { active: '#0f766e', idle: '#64748b', maintenance: '#7c3aed', inactive: '#374151', low_fuel: '#dc2626' };
/** An offline driver stays grey on the map this long, then goes. */
const OFFLINE_LINGER_MS = 60_000;

/**
 * The live map: one circle marker per driver and vehicle, drawn on a canvas
 * (thousands of markers stay cheap) and with no images, so markers show
 * even when the tiles cannot load.
 */
export function createLiveMap(element, { tileUrl, tileAttribution }) {
  const map = L.map(element, { preferCanvas: true, zoomControl: true }).setView([15.5007, 32.5599], 12);
  if (tileUrl) {
    const tiles = L.tileLayer(tileUrl, { maxZoom: 19, attribution: tileAttribution });
    // Offline or blocked tiles leave the grid background; nothing to report.
    tiles.on('tileerror', () => undefined);
    tiles.addTo(map);
  }
  const renderer = L.canvas({ padding: 0.2 });
  const drivers = new Map();
  const vehicles = new Map();
  let fitted = false;

  function upsert(markers, entry, style, label) {
    let item = markers.get(entry.id);
    if (item && item.at > entry.at) return; // An older fix than the one shown.
    if (!item) {
      const marker = L.circleMarker([entry.lat, entry.lng], { renderer, ...style }).bindTooltip(label);
      marker.addTo(map);
      item = { marker, at: entry.at, state: entry.state, lat: entry.lat, lng: entry.lng };
      markers.set(entry.id, item);
    } else {
      item.marker.setLatLng([entry.lat, entry.lng]);
      if (item.state !== entry.state) item.marker.setStyle(style).setTooltipContent(label);
      Object.assign(item, { at: entry.at, state: entry.state, lat: entry.lat, lng: entry.lng });
    }
  }

  const driverStyle = (state) => ({ radius: 7, color: '#ffffff', weight: 2, fillColor: DRIVER_COLOURS[state] ?? '#000', fillOpacity: 0.95 });
  const vehicleStyle = (state) => ({ radius: 5, color: VEHICLE_COLOURS[state] ?? '#000', weight: 3, fillColor: '#ffffff', fillOpacity: 1 });

  function driver(entry) {
    upsert(drivers, entry, driverStyle(entry.state), `driver ${entry.id} — ${entry.state.replace('_', ' ')}`);
  }
  function vehicle(entry) {
    upsert(vehicles, entry, vehicleStyle(entry.state), `vehicle ${entry.id} — ${entry.state.replace('_', ' ')}`);
  }
  function offline(id) {
    const item = drivers.get(id);
    if (!item) return;
    item.state = 'offline';
    item.marker.setStyle(driverStyle('offline')).setTooltipContent(`driver ${id} — offline`);
    setTimeout(() => {
      if (drivers.get(id) === item && item.state === 'offline') {
        item.marker.remove();
        drivers.delete(id);
      }
    }, OFFLINE_LINGER_MS);
  }
  /** Frames everything once, when the first positions arrive. */
  function fitOnce() {
    if (fitted) return;
    const points = [...drivers.values(), ...vehicles.values()].map((i) => [i.lat, i.lng]);
    if (!points.length) return;
    fitted = true;
    map.fitBounds(L.latLngBounds(points).pad(0.3), { maxZoom: 15 });
  }

  return {
    map,
    apply({ drivers: ds = [], vehicles: vs = [], offline: gone = [] }) {
      for (const d of ds) driver(d);
      for (const v of vs) vehicle(v);
      for (const id of gone) offline(id);
      fitOnce();
    },
    counts: () => ({ drivers: [...drivers.values()].filter((d) => d.state !== 'offline').length, vehicles: vehicles.size }),
    /** What the map shows for a driver (the page's inspection hook, used by tests). */
    driver: (id) => {
      const item = drivers.get(id);
      return item && { lat: item.lat, lng: item.lng, state: item.state };
    },
  };
}
