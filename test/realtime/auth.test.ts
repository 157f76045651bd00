import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SignJWT, exportSPKI, importPKCS8 } from 'jose';
import { connect, connectError } from '../helpers/client.ts';
import { startServer, TEST_SECRET, type TestServer } from '../helpers/server.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const nowS = () => Math.floor(Date.now() / 1000);

/** Rooms the server holds for `sub` — none may exist after a refused handshake. */
function roomsOf(server: TestServer, sub: string) {
  return [...server.app.io.of('/').adapter.rooms.keys()].filter((r) => r.includes(sub));
}

describe('handshake authentication (HS256)', () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());

  test('a valid token connects, joins its rooms and gets `authenticated`', async () => {
    const token = await server.token('p-1', 'passenger');
    const socket = await connect(server.url, { token });
    assert.ok(socket.connected);
    assert.deepEqual(roomsOf(server, 'p-1'), ['user:p-1']);
    socket.close();
  });

  test('the token is also read from the Authorization header and the `token` query parameter', async () => {
    const token = await server.token('d-1', 'driver');
    const viaHeader = await connect(server.url, { transports: ['polling'], extraHeaders: { authorization: `Bearer ${token}` } });
    const viaQuery = await connect(server.url, { query: { token } });
    assert.ok(server.app.io.of('/').adapter.rooms.get('drivers')?.size === 2);
    viaHeader.close();
    viaQuery.close();
  });

  const bad: Array<[string, () => Promise<string | undefined>]> = [
    ['missing', async () => undefined],
    ['garbage', async () => 'not-a-jwt-at-all'],
    ['wrong signature', () => new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x-sig').setExpirationTime('1h').sign(enc('another-secret-that-is-long-enough-1234'))],
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x-none', role: 'admin', exp: nowS() + 3600 })}.`],
    ['expired', () => new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x-exp').setExpirationTime(nowS() - 10).sign(enc(TEST_SECRET))],
    ['missing exp', () => new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x-noexp').sign(enc(TEST_SECRET))],
    ['unknown role', () => new SignJWT({ role: 'root' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x-role').setExpirationTime('1h').sign(enc(TEST_SECRET))],
    ['service role (may not open sockets)', () => new SignJWT({ role: 'service' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x-svc').setExpirationTime('1h').sign(enc(TEST_SECRET))],
  ];
  for (const [name, make] of bad) {
    test(`refuses a ${name} token with AUTH_FAILED and joins no room`, async () => {
      const token = await make();
      const err = await connectError(server.url, token ? { token } : {});
      assert.equal(err.message, 'Invalid or expired token');
      assert.equal(err.data?.code, 'AUTH_FAILED');
      assert.deepEqual(roomsOf(server, 'x-'), []);
    });
  }

  test('a suspended account is refused with FORBIDDEN', async () => {
    await server.api('/api/users', { body: { id: 'p-susp', role: 'passenger', name: 'S', status: 'suspended' } });
    const err = await connectError(server.url, { token: await server.token('p-susp', 'passenger') });
    assert.equal(err.data?.code, 'FORBIDDEN');
  });
});

describe('handshake authentication (RS256 public key, issuer and audience)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  let server: TestServer;
  let rsKey: Awaited<ReturnType<typeof importPKCS8>>;
  before(async () => {
    server = await startServer({ JWT_SECRET: '', JWT_PUBLIC_KEY: pem, JWT_ISSUER: 'https://issuer.test', JWT_AUDIENCE: 'livegate' });
    rsKey = await importPKCS8(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'RS256');
  });
  after(() => server.close());

  const rs = (claims: { iss?: string; aud?: string; sub: string }) => {
    let jwt = new SignJWT({ role: 'driver' }).setProtectedHeader({ alg: 'RS256' }).setSubject(claims.sub).setExpirationTime('1h');
    if (claims.iss) jwt = jwt.setIssuer(claims.iss);
    if (claims.aud) jwt = jwt.setAudience(claims.aud);
    return jwt.sign(rsKey);
  };

  test('accepts an RS256 token with the right issuer and audience', async () => {
    const socket = await connect(server.url, { token: await rs({ sub: 'rs-ok', iss: 'https://issuer.test', aud: 'livegate' }) });
    socket.close();
  });

  test('refuses wrong audience, wrong issuer, and HS256 signed with the public key (HS/RS confusion)', async () => {
    const tokens = [
      await rs({ sub: 'x-aud', iss: 'https://issuer.test', aud: 'someone-else' }),
      await rs({ sub: 'x-iss', iss: 'https://evil.test', aud: 'livegate' }),
      await new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x-confused').setIssuer('https://issuer.test').setAudience('livegate').setExpirationTime('1h').sign(enc(pem)),
      await new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x-hs').setIssuer('https://issuer.test').setAudience('livegate').setExpirationTime('1h').sign(enc(TEST_SECRET)),
    ];
    for (const token of tokens) {
      const err = await connectError(server.url, { token });
      assert.equal(err.data?.code, 'AUTH_FAILED');
    }
    assert.deepEqual(roomsOf(server, 'x-'), []);
    void exportSPKI;
  });
});
