/**
 * Neither Azure Pipelines nor GitHub Actions nests log groups: a group opened inside another one closes it,
 * and the outer `endgroup` then closes nothing. The loop does nest (an iteration's group holds the gate
 * round after its fix), so groups are kept flat here: opening an inner group closes the outer one, and
 * closing the inner one re-opens the outer one as "… (continued)". Every opened group is closed exactly once.
 */
export class FlatGroups {
  private readonly open: string[] = [];

  constructor(
    private readonly start: (title: string) => void,
    private readonly end: () => void,
  ) {}

  group(title: string): void {
    if (this.open.length > 0) this.end();
    this.open.push(title);
    this.start(title);
  }

  endGroup(): void {
    if (this.open.length === 0) return;
    this.end();
    this.open.pop();
    const outer = this.open[this.open.length - 1];
    if (outer !== undefined) this.start(`${outer} (continued)`);
  }
}
