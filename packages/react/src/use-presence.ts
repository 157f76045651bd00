import { useCallback, useState } from 'react';
import { useLivegate } from './context.tsx';
import { useEvent } from './use-event.ts';

export interface ContactPresence {
  online: boolean;
  /** `online`, `away`, `busy` or `offline` after a `presence:update`; undefined when only connects were seen. */
  status: 'online' | 'away' | 'busy' | 'offline' | undefined;
  lastSeen: string | undefined;
}

export interface PresenceState {
  /** Contacts whose presence changed while mounted, by user id. */
  contacts: Record<string, ContactPresence>;
  /** Sets this user's status for their contacts (`presence:update`). */
  setStatus(status: 'online' | 'away' | 'busy' | 'offline'): Promise<void>;
}

/** Contacts' presence (`user:online`, `user:offline`, `friend:presence:changed`; contacts come from the HTTP API). */
export function usePresence(): PresenceState {
  const client = useLivegate();
  const [contacts, setContacts] = useState<Record<string, ContactPresence>>({});
  const update = (userId: string, change: Partial<ContactPresence>) =>
    setContacts((all) => ({ ...all, [userId]: { online: false, status: undefined, lastSeen: undefined, ...all[userId], ...change } }));
  useEvent('user:online', (p) => update(p.userId, { online: true }));
  useEvent('user:offline', (p) => update(p.userId, { online: false, status: 'offline', lastSeen: p.lastSeen }));
  useEvent('friend:presence:changed', (p) => update(p.userId, { online: p.presence !== 'offline', status: p.presence, lastSeen: p.lastSeen }));
  const setStatus = useCallback(async (status: 'online' | 'away' | 'busy' | 'offline') => {
    await client.emit('presence:update', { status });
  }, [client]);
  return { contacts, setStatus };
}
