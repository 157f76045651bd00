/** A small typed listener set per event name (works the same in Node and browsers). */
export class Listeners<Handler extends (...args: never[]) => void> {
  private readonly byName = new Map<string, Set<Handler>>();

  add(name: string, handler: Handler): () => void {
    let set = this.byName.get(name);
    if (!set) this.byName.set(name, (set = new Set()));
    set.add(handler);
    return () => this.remove(name, handler);
  }

  remove(name: string, handler: Handler): void {
    this.byName.get(name)?.delete(handler);
  }

  names(): string[] {
    return [...this.byName.keys()].filter((n) => (this.byName.get(n)?.size ?? 0) > 0);
  }

  /** Calls every handler of `name`; one handler throwing does not starve the others. */
  emit(name: string, ...args: Parameters<Handler>): void {
    for (const handler of [...(this.byName.get(name) ?? [])]) {
      try {
        handler(...args);
      } catch (err) {
        queueMicrotask(() => { throw err; });
      }
    }
  }
}
