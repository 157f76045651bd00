/* global document */
// The /docs page: renders /openapi.json and /asyncapi.json as collapsible
// sections with a filter. Plain DOM, no framework, no CDN: the gateway is
// often deployed offline. Everything from the documents goes in as text.

/** @param {string} tag @param {Record<string, string>} [attrs] @param {...(Node|string)} children */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

function resolve(doc, schema) {
  let s = schema;
  for (let i = 0; s && typeof s.$ref === 'string' && i < 10; i++) s = s.$ref.slice(2).split('/').reduce((o, k) => o?.[k], doc);
  return s ?? {};
}

/** A message with its traits applied (the message's own fields win), as AsyncAPI defines them. */
function messageOf(doc, ref) {
  const message = resolve(doc, ref);
  return Object.assign({}, ...(message.traits ?? []).map((t) => resolve(doc, t)), message);
}

function typeText(s) {
  if ('const' in s) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  const t = Array.isArray(s.type) ? s.type.join(' | ') : s.type;
  if (t === 'array') return 'array';
  const extra = [s.format, s.minimum !== undefined && s.maximum !== undefined ? `${s.minimum}…${s.maximum}` : '', s.maxLength !== undefined ? `≤ ${s.maxLength} chars` : ''].filter(Boolean);
  return (t ?? (s.properties ? 'object' : s.oneOf || s.anyOf ? '' : 'any')) + (extra.length ? ` (${extra.join(', ')})` : '');
}

/** A JSON Schema as a nested list: `field` (optional): type — description. */
function schemaView(doc, schema, depth = 0) {
  const s = resolve(doc, schema);
  if (depth > 8) return el('span', { class: 'note' }, '…');
  const variants = s.oneOf ?? s.anyOf;
  if (variants) {
    const list = el('ul', { class: 'schema' });
    variants.forEach((v, i) => list.append(el('li', {}, el('span', { class: 'note' }, `variant ${i + 1}: `), schemaView(doc, v, depth + 1))));
    return el('div', {}, el('span', { class: 'note' }, 'one of:'), list);
  }
  if (s.type === 'array' && s.items) return el('div', {}, el('span', { class: 'type' }, 'array of '), schemaView(doc, s.items, depth + 1));
  if (s.properties) {
    const required = new Set(s.required ?? []);
    const list = el('ul', { class: 'schema' });
    for (const [name, raw] of Object.entries(s.properties)) {
      const p = resolve(doc, raw);
      const item = el('li', {}, el('code', {}, name), required.has(name) ? '' : el('span', { class: 'note' }, ' (optional)'), ': ', el('span', { class: 'type' }, typeText(p)));
      if (p.description) item.append(' — ', el('span', { class: 'desc' }, p.description));
      if (p.properties || p.oneOf || p.anyOf || (p.type === 'array' && p.items)) item.append(schemaView(doc, p, depth + 1));
      list.append(item);
    }
    return list;
  }
  const leaf = el('span', { class: 'type' }, typeText(s));
  return s.description ? el('span', {}, leaf, ' — ', el('span', { class: 'desc' }, s.description)) : leaf;
}

/** A collapsible entry whose body is built on first open. */
function entry(summaryNodes, searchText, build) {
  const body = el('div');
  const details = el('details', { 'data-search': searchText.toLowerCase() }, el('summary', {}, ...summaryNodes), body);
  details.addEventListener('toggle', () => {
    if (details.open && !body.childElementCount) build(body);
  });
  return details;
}

function renderHttp(api) {
  const section = document.getElementById('http');
  section.querySelector('.loading').remove();
  const byTag = new Map();
  for (const [path, methods] of Object.entries(api.paths ?? {})) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags?.[0] ?? 'other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push([method.toUpperCase(), path, op]);
    }
  }
  for (const [tag, ops] of [...byTag].sort(([a], [b]) => a.localeCompare(b))) {
    const group = el('div', { class: 'group' }, el('h3', {}, tag));
    for (const [method, path, op] of ops) {
      const summary = [el('span', { class: `method ${method}` }, method), el('code', {}, path), op.summary ? el('span', { class: 'dir' }, op.summary) : ''];
      group.append(entry(summary, `${method} ${path} ${op.summary ?? ''} ${tag}`, (body) => {
        if (op.description) body.append(el('p', { class: 'desc' }, op.description));
        body.append(el('p', { class: 'note' }, Array.isArray(op.security) && op.security.length === 0 ? 'Public' : 'Authorization: Bearer <JWT> (admin or service)'));
        const params = op.parameters ?? [];
        if (params.length) {
          const list = el('ul', { class: 'schema' });
          for (const p of params) list.append(el('li', {}, el('code', {}, p.name), ` (${p.in}${p.required ? '' : ', optional'}): `, el('span', { class: 'type' }, typeText(resolve(api, p.schema ?? {})))));
          body.append(el('h4', {}, 'Parameters'), list);
        }
        const request = op.requestBody?.content?.['application/json']?.schema;
        if (request) body.append(el('h4', {}, 'Body'), schemaView(api, request));
        for (const [status, res] of Object.entries(op.responses ?? {})) {
          const schema = res.content?.['application/json']?.schema;
          body.append(el('h4', {}, `${status}${res.description ? ' — ' + res.description : ''}`));
          if (schema) body.append(schemaView(api, schema));
        }
      }));
    }
    section.append(group);
  }
}

function renderEvents(doc) {
  const section = document.getElementById('events');
  section.querySelector('.loading').remove();
  const transports = el('details', { 'data-search': 'transports socket.io websocket sse' }, el('summary', {}, el('code', {}, 'Transports')));
  const tBody = el('div');
  for (const [key, server] of Object.entries(doc.servers)) tBody.append(el('h4', {}, `${server.title ?? key}: ${server.protocol}://${server.host}${server.pathname ?? ''}`), el('p', { class: 'desc' }, server.description ?? ''));
  transports.append(tBody);
  section.append(el('p', { class: 'desc' }, 'Socket.IO namespace `/`, by family. The same events travel as `{ type, data, id? }` frames on `/ws` and, server → client, as `event:`/`data:` on `/events`.'), transports);

  // Operations list a channel's messages by direction; each message is a `$ref` into
  // `components.messages`, whose name, description and family tag come from its traits.
  const byFamily = new Map();
  for (const op of Object.values(doc.operations)) {
    if (op.channel.$ref !== '#/channels/socketio') continue;
    for (const ref of op.messages) {
      const message = messageOf(doc, ref);
      const family = resolve(doc, message.tags?.[0]).name ?? 'other';
      if (!byFamily.has(family)) byFamily.set(family, []);
      byFamily.get(family).push([message, op.action === 'receive']);
    }
  }
  for (const [family, messages] of byFamily) {
    const group = el('div', { class: 'group' }, el('h3', {}, family));
    for (const [message, inbound] of messages) {
      const summary = [el('code', {}, message.name), el('span', { class: 'dir' }, inbound ? 'client → server' : 'server → client')];
      group.append(entry(summary, `${message.name} ${family} ${message.description ?? ''}`, (body) => {
        body.append(el('p', { class: 'desc' }, message.description ?? ''), el('h4', {}, 'Payload'), schemaView(doc, message.payload));
        const ack = message['x-livegate-ack'] && resolve(doc, { $ref: message['x-livegate-ack'] });
        const ok = ack?.payload?.oneOf?.[0]?.properties?.data;
        if (ok && ok.$ref) body.append(el('h4', {}, 'Acknowledgement data ({ success: true, data })'), schemaView(doc, ok));
      }));
    }
    section.append(group);
  }
  const codes = doc.components.schemas.ErrorCode['x-livegate-errors'];
  const table = el('table', {}, el('tr', {}, el('th', {}, 'code'), el('th', {}, 'status'), el('th', {}, 'message'), el('th', {}, 'how to solve')));
  for (const [code, e] of Object.entries(codes)) table.append(el('tr', {}, el('td', {}, el('code', {}, code)), el('td', {}, String(e.status)), el('td', {}, e.message), el('td', {}, e.howToSolve)));
  section.append(entry([el('code', {}, 'Error codes')], `error codes ${Object.keys(codes).join(' ')}`, (body) => body.append(table)));
}

function applyFilter() {
  const q = document.getElementById('search').value.trim().toLowerCase();
  let shown = 0;
  for (const d of document.querySelectorAll('details[data-search]')) {
    const hit = !q || d.dataset.search.includes(q);
    d.classList.toggle('hidden', !hit);
    if (hit) shown++;
  }
  for (const g of document.querySelectorAll('.group')) g.classList.toggle('hidden', !g.querySelector('details:not(.hidden)'));
  document.getElementById('count').textContent = `${shown} shown`;
}

async function load(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

const [api, events] = await Promise.allSettled([load('/openapi.json'), load('/asyncapi.json')]);
for (const [result, render, id] of [[api, renderHttp, 'http'], [events, renderEvents, 'events']]) {
  if (result.status === 'fulfilled') render(result.value);
  else document.getElementById(id).append(el('p', { class: 'error' }, String(result.reason)));
}
document.getElementById('search').addEventListener('input', applyFilter);
applyFilter();
document.body.dataset.ready = 'true';
