/**
 * The instances of a catalog keyed by id (the built-in detections, the built-in forensic queries): one per id,
 * made on first use, so that the static members, `all()` and `fromId` hand out the same object.
 */
export class BuiltIns<D extends { readonly id: string }, T> {
  private readonly made = new Map<string, T>();

  constructor(private readonly catalog: readonly D[]) {}

  /** The ids, in catalog order. */
  public get ids(): string[] {
    return this.catalog.map(d => d.id);
  }

  /** The instance for `id`, made with `make` the first time; undefined when the catalog has no such id. */
  public get(id: string, make: (definition: D) => T): T | undefined {
    let found = this.made.get(id);
    if (found === undefined) {
      const definition = this.catalog.find(d => d.id === id);
      if (definition === undefined) return undefined;
      found = make(definition);
      this.made.set(id, found);
    }
    return found;
  }
}
