import { JSDOM } from 'jsdom';

/**
 * A jsdom window as the global environment, imported before React Testing
 * Library (which binds `screen` to `document.body` when it loads).
 */
const dom = new JSDOM('<!doctype html><html><body></body></html>', { url: 'http://localhost/' });
const g = globalThis as Record<string, unknown>;
for (const key of ['window', 'document', 'navigator', 'HTMLElement', 'Node', 'MutationObserver', 'getComputedStyle', 'Event', 'MouseEvent']) {
  Object.defineProperty(g, key, { value: (dom.window as unknown as Record<string, unknown>)[key], configurable: true, writable: true });
}
g.IS_REACT_ACT_ENVIRONMENT = true;

export function closeDom(): void {
  dom.window.close();
}
