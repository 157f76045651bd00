import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** One key of CHAT_ENCRYPTION_KEY: an id stored with every message it encrypts, and 32 bytes as base64. */
export interface ChatKey { readonly id: string; readonly key: string }

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM at rest. The first key encrypts; every listed key decrypts,
 * found by the key id stored per message, so keys rotate by putting a new
 * key first and keeping the old ones until their messages are gone.
 * Without keys, content is stored as it is (key id null).
 */
export class ContentCipher {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly current: string | undefined;

  constructor(keys: readonly ChatKey[]) {
    this.keys = new Map(keys.map((k) => [k.id, Buffer.from(k.key, 'base64')]));
    this.current = keys[0]?.id;
  }

  /** `{ content, keyId }` as stored: base64(iv ‖ tag ‖ ciphertext), or the plaintext with a null key id. */
  seal(plain: string): { content: string; keyId: string | null } {
    if (!this.current) return { content: plain, keyId: null };
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.current)!, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return { content: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64'), keyId: this.current };
  }

  /** Throws when the key id is unknown or the content was tampered with (GCM tag). */
  open(stored: string, keyId: string | null): string {
    if (keyId === null) return stored;
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`chat key ${keyId} is not configured (CHAT_ENCRYPTION_KEY)`);
    const raw = Buffer.from(stored, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}
