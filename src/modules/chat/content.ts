import sanitizeHtml from 'sanitize-html';
import { AppError } from '../../core/errors.ts';
import { MESSAGE_MAX_CHARS } from '../../protocol/families/chat.ts';

/**
 * A small allowlist: inline emphasis, code, lists, quotes and plain links.
 * Everything else (scripts, styles, event handlers, images, iframes) goes,
 * with the text of dropped tags kept except for script/style/textarea.
 */
const ALLOWLIST: sanitizeHtml.IOptions = {
  allowedTags: ['b', 'i', 'em', 'strong', 'a', 'code', 'pre', 'br', 'p', 'ul', 'ol', 'li', 'blockquote'],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
};

/**
 * Trims, checks 1–5000 characters (EMPTY_MESSAGE, MESSAGE_TOO_LONG; the
 * limit applies to what the sender typed), then reduces HTML to the
 * allowlist. Content that was only markup is empty afterwards and refused.
 */
export function cleanContent(raw: string): string {
  const trimmed = raw.trim();
  if (trimmed.length === 0) throw new AppError('EMPTY_MESSAGE');
  if (trimmed.length > MESSAGE_MAX_CHARS) throw new AppError('MESSAGE_TOO_LONG', undefined, { max: MESSAGE_MAX_CHARS, length: trimmed.length });
  const clean = sanitizeHtml(trimmed, ALLOWLIST).trim();
  if (clean.length === 0) throw new AppError('EMPTY_MESSAGE', 'Message is empty once markup is removed');
  return clean;
}

/** A short plain-text preview (push bodies): tags dropped, entities kept as the client would show them. */
export function preview(content: string, max = 140): string {
  const plain = sanitizeHtml(content, { allowedTags: [], allowedAttributes: {} }).replace(/\s+/g, ' ').trim();
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
}
