import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { collect, next, request, type Client } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/** A round trip on `socket`: anything the server sent it before is in by now. */
const settle = (socket: Client) => request(socket, 'ping');

describe('presence and contacts on one node', () => {
  let server: TestServer;
  before(async () => (server = await startServer({ RATE_LIMIT_CHAT: '5/60' })));
  after(() => server.close());

  const contacts = (userId: string, contactIds: unknown, token?: string | null) =>
    server.api(`/api/users/${userId}/contacts`, { method: 'PUT', body: { contactIds }, token });
  const countOf = async (userId: string): Promise<number> => (await server.api(`/api/connections?userId=${userId}`)).body.count;
  const listOf = async (userId: string) =>
    (await server.app.db.query<{ contact_id: string }>('SELECT contact_id FROM contacts WHERE user_id = $1 ORDER BY contact_id', [userId])).rows.map((r) => r.contact_id);

  test('PUT contacts is symmetric: each contact gets the user, a dropped contact loses them', async () => {
    const res = await contacts('c-alice', ['c-bob', 'c-carol', 'c-bob']);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { userId: 'c-alice', contactIds: ['c-bob', 'c-carol'] });
    assert.deepEqual(await listOf('c-bob'), ['c-alice']);
    assert.deepEqual(await listOf('c-carol'), ['c-alice']);
    assert.deepEqual((await contacts('c-alice', ['c-carol', 'c-dave'])).body.contactIds, ['c-carol', 'c-dave']);
    assert.deepEqual(await listOf('c-bob'), [], 'dropped from alice, so alice is dropped from bob');
    assert.deepEqual(await listOf('c-dave'), ['c-alice']);
    // Bob's own list replaces his side only: carol keeps alice.
    await contacts('c-carol', ['c-bob']);
    assert.deepEqual(await listOf('c-carol'), ['c-bob']);
    assert.deepEqual(await listOf('c-alice'), ['c-dave']);
    assert.equal((await contacts('c-alice', [])).status, 200);
    assert.deepEqual(await listOf('c-dave'), []);
  });

  test('PUT contacts is validated and for staff only', async () => {
    for (const [body, why] of [[undefined, 'missing'], ['c-bob', 'not an array'], [[''], 'empty id'], [[42], 'not a string'], [['x'.repeat(129)], 'too long'], [Array.from({ length: 1001 }, (_, i) => `u${i}`), 'over 1000'], [['c-self'], 'self']] as const) {
      const res = await server.api('/api/users/c-self/contacts', { method: 'PUT', body: body === undefined ? {} : { contactIds: body } });
      assert.equal(res.status, 400, why);
      assert.equal(res.body.error.code, 'VALIDATION_ERROR', why);
    }
    assert.equal((await contacts('c-self', ['c-x'], null)).status, 401);
    assert.equal((await contacts('c-self', ['c-x'], await server.token('c-self', 'user'))).status, 403, 'a user may not set contacts, not even their own');
    assert.equal((await contacts('c-self', ['c-x'], await server.token('svc', 'service'))).status, 200);
  });

  test("contacts see a user's first socket come online and last socket go offline; others see nothing", async () => {
    await contacts('p-amy', ['p-ben']);
    const ben = await server.client('p-ben', 'user');
    const stranger = await server.client('p-stranger', 'user');
    const [benOnline, benOffline] = [collect(ben, 'user:online'), collect(ben, 'user:offline')];
    const [strangerOnline, strangerOffline] = [collect(stranger, 'user:online'), collect(stranger, 'user:offline')];

    const phone = await server.client('p-amy', 'user');
    await eventually(() => assert.deepEqual(benOnline, [{ userId: 'p-amy', name: 'p-amy' }]));
    const laptop = await server.client('p-amy', 'user');
    await eventually(async () => assert.equal(await countOf('p-amy'), 2));
    phone.close();
    await eventually(async () => assert.equal(await countOf('p-amy'), 1));
    await settle(ben);
    assert.equal(benOnline.length, 1, 'a second socket is not a new online');
    assert.deepEqual(benOffline, [], 'one socket left: still online');

    const before = Date.now();
    laptop.close();
    await eventually(() => assert.equal(benOffline.length, 1));
    const { userId, lastSeen } = benOffline[0] as unknown as { userId: string; lastSeen: string };
    assert.equal(userId, 'p-amy');
    assert.ok(Date.parse(lastSeen) >= before - 1000 && Date.parse(lastSeen) <= Date.now());
    await settle(stranger);
    assert.deepEqual(strangerOnline, [], 'user:online goes to contacts only');
    assert.deepEqual(strangerOffline, [], 'user:offline goes to contacts only');
  });

  test('presence:update reaches contacts only; a repeat is not re-broadcast; offline carries lastSeen', async () => {
    await contacts('s-sam', ['s-tia']);
    const tia = await server.client('s-tia', 'user');
    const stranger = await server.client('s-stranger', 'user');
    const strangerSaw = collect(stranger, 'friend:presence:changed');
    const tiaSaw = collect(tia, 'friend:presence:changed');
    const sam = await server.client('s-sam', 'user');

    const away = next(tia, 'friend:presence:changed');
    assert.deepEqual(await request(sam, 'presence:update', { status: 'away' }), { success: true, data: { userId: 's-sam', presence: 'away' } });
    assert.deepEqual(await away, { userId: 's-sam', presence: 'away' });
    assert.deepEqual(await request(sam, 'presence:update', { status: 'away' }), { success: true, data: { userId: 's-sam', presence: 'away' } });
    const invisible = await request<{ lastSeen: string }>(sam, 'presence:update', { status: 'offline' });
    assert.equal(invisible.success, true);
    await eventually(() => assert.equal(tiaSaw.length, 2));
    assert.deepEqual(tiaSaw[1], { userId: 's-sam', presence: 'offline', lastSeen: invisible.success ? invisible.data.lastSeen : undefined });
    assert.equal(tiaSaw.filter((p) => (p as { presence: string }).presence === 'away').length, 1, 'the repeated away was not sent again');
    await settle(stranger);
    assert.deepEqual(strangerSaw, []);
  });

  test('an unknown status is INVALID_STATUS; a status ends with the session', async () => {
    await contacts('i-ida', ['i-jon']);
    const jon = await server.client('i-jon', 'user');
    const ida = await server.client('i-ida', 'user');
    // Within the rate budget of 5: two unknown statuses, one non-string, then busy twice.
    for (const status of ['sleeping', 'ONLINE']) {
      const res = await request(ida, 'presence:update', { status });
      assert.equal(res.success, false, status);
      assert.equal(!res.success && res.error.code, 'INVALID_STATUS', status);
    }
    const bad = await request(ida, 'presence:update', { status: 42 });
    assert.equal(!bad.success && bad.error.code, 'VALIDATION_ERROR', 'not a string at all');
    const seen = collect(jon, 'friend:presence:changed');
    await request(ida, 'presence:update', { status: 'busy' });
    await eventually(() => assert.equal(seen.length, 1));
    ida.close();
    await next(jon, 'user:offline');
    const again = await server.client('i-ida', 'user');
    // The next session starts online: `busy` again is a change, so it is broadcast again.
    await request(again, 'presence:update', { status: 'busy' });
    await eventually(() => assert.equal(seen.length, 2));
  });

  test('presence:update is rate-limited per user', async () => {
    const [one, two] = [await server.client('r-rita', 'user'), await server.client('r-rita', 'user')];
    const other = await server.client('r-other', 'user');
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await request(i % 2 ? one : two, 'presence:update', { status: i % 2 ? 'away' : 'busy' }));
    assert.equal(answers.filter((a) => a.success).length, 5, 'the limit counts the user, not the socket');
    const refused = answers.at(-1)!;
    assert.equal(!refused.success && refused.error.code, 'RATE_LIMIT_EXCEEDED');
    assert.equal((await request(other, 'presence:update', { status: 'away' })).success, true, 'another user has their own budget');
  });
});
