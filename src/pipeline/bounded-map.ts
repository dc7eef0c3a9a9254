/**
 * A Map that forgets its oldest entries past `cap` (insertion order; `set` on an existing key makes
 * it the newest). Ingest keeps process-local hints in these, so memory stays bounded on a long run.
 */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly cap: number) {}

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.cap) {
      // Drop a tenth at once: trimming one entry per insert would walk the iterator every time.
      let drop = Math.max(1, Math.floor(this.cap / 10));
      for (const k of this.map.keys()) {
        if (drop-- <= 0) break;
        this.map.delete(k);
      }
    }
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }
}
