/* global sessionStorage */
// The admin token lives in this tab's sessionStorage only, and goes only to this gateway.
const TOKEN_KEY = 'livegate.adminToken';

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  save: (token) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** Thrown for a non-2xx answer; `code` is the gateway's error code. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** JSON call to the gateway's HTTP API with the admin token. */
export async function api(path, { method, body, token = session.token() } = {}) {
  const res = await fetch(path, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, data.error?.code ?? 'HTTP_ERROR', data.error?.message ?? `HTTP ${res.status}`);
  return data;
}
