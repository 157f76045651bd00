import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-client.ts';

/**
 * A Lua script sent by SHA (EVALSHA), and in full when Redis does not know it
 * (first use, or after a restart). The fallback EVAL goes out a round trip
 * later, so it may run after commands issued meanwhile; the registry tolerates
 * that (a socket removed in that window lingers at most one TTL).
 */
export interface LuaScript {
  run(client: RedisClient, keys: string[], args: string[]): Promise<unknown>;
}

export function luaScript(source: string): LuaScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return {
    async run(client, keys, args) {
      try {
        return await client.evalSha(sha, { keys, arguments: args });
      } catch (err) {
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
        return client.eval(source, { keys, arguments: args });
      }
    },
  };
}
