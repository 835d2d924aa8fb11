import { DefaultRenderer } from 'listr2';

/**
 * listr2's default renderer, drawing at most one frame per turn of the event loop.
 * The default one redraws synchronously on every task change, so a burst of changes made in one
 * go (listr2 starting every row before the live view puts the idle ones back to waiting, a row's
 * title and state changing together) would flash frames nobody meant to show, e.g. an idle row
 * spinning. Coalescing draws only the state the burst ends in.
 */
export class CoalescingRenderer extends DefaultRenderer {
  private scheduled = false;
  private ended = false;

  override update(): void {
    if (this.scheduled || this.ended) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.ended) super.update();
    });
  }

  override end(): void {
    this.ended = true;
    super.end();
  }
}
