/**
 * Captures a command's output in bounded memory: the first half of the budget and a ring buffer of the last
 * half. When more arrived than fits, the text shows the head, a marker with the omitted byte count, and the tail.
 */
export interface CapturedOutput {
  readonly text: string;
  /** Every byte that arrived, kept or not. */
  readonly totalBytes: number;
  readonly truncated: boolean;
}

/** When the output is cut, the cut moves to a line break if one is this close, so no half line is shown. */
const LINE_SNAP_BYTES = 4096;

export class BoundedOutput {
  private readonly head: Buffer;
  private headLength = 0;
  private readonly tail: Buffer;
  /** Index of the oldest byte of the tail ring, and how many bytes it holds. */
  private tailStart = 0;
  private tailLength = 0;
  private total = 0;

  constructor(maxBytes: number) {
    const budget = Math.max(2, Math.floor(maxBytes));
    this.head = Buffer.alloc(Math.floor(budget / 2));
    this.tail = Buffer.alloc(budget - this.head.length);
  }

  get totalBytes(): number {
    return this.total;
  }

  /** Bytes of memory held for the output: never more than the budget, whatever arrives. */
  get retainedBytes(): number {
    return this.head.length + this.tail.length;
  }

  push(chunk: Uint8Array): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headLength < this.head.length) {
      const taken = Math.min(rest.length, this.head.length - this.headLength);
      this.head.set(rest.subarray(0, taken), this.headLength);
      this.headLength += taken;
      rest = rest.subarray(taken);
    }
    if (rest.length > 0) this.pushTail(rest);
  }

  finish(): CapturedOutput {
    const tail = this.orderedTail();
    const head = this.head.subarray(0, this.headLength);
    if (this.total === head.length + tail.length) {
      return { text: decodeUtf8(Buffer.concat([head, tail])), totalBytes: this.total, truncated: false };
    }
    const shownHead = head.subarray(0, snapHeadEnd(head));
    const shownTail = tail.subarray(snapTailStart(tail));
    const omitted = this.total - shownHead.length - shownTail.length;
    const text = `${decodeUtf8(shownHead)}\n[… ${omitted} bytes omitted …]\n${decodeUtf8(shownTail)}`;
    return { text, totalBytes: this.total, truncated: true };
  }

  private pushTail(bytes: Uint8Array): void {
    const capacity = this.tail.length;
    if (capacity === 0) return;
    if (bytes.length >= capacity) {
      this.tail.set(bytes.subarray(bytes.length - capacity));
      this.tailStart = 0;
      this.tailLength = capacity;
      return;
    }
    let writeAt = (this.tailStart + this.tailLength) % capacity;
    const firstPart = Math.min(bytes.length, capacity - writeAt);
    this.tail.set(bytes.subarray(0, firstPart), writeAt);
    this.tail.set(bytes.subarray(firstPart), 0);
    writeAt = (writeAt + bytes.length) % capacity;
    const overflow = this.tailLength + bytes.length - capacity;
    if (overflow > 0) {
      this.tailStart = (this.tailStart + overflow) % capacity;
      this.tailLength = capacity;
    } else {
      this.tailLength += bytes.length;
    }
  }

  private orderedTail(): Buffer {
    const end = this.tailStart + this.tailLength;
    if (end <= this.tail.length) return this.tail.subarray(this.tailStart, end);
    return Buffer.concat([this.tail.subarray(this.tailStart), this.tail.subarray(0, end - this.tail.length)]);
  }
}

/** Invalid sequences become U+FFFD instead of throwing. */
export function decodeUtf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

/** Where to cut the head: after the last line break near the end, else before a split UTF-8 character. */
function snapHeadEnd(head: Uint8Array): number {
  const newline = head.lastIndexOf(0x0a);
  if (newline >= 0 && head.length - newline <= LINE_SNAP_BYTES) return newline;
  let end = head.length;
  let back = 0;
  while (back < 4 && end - back - 1 >= 0 && isContinuationByte(head[end - back - 1]!)) back += 1;
  const leadIndex = end - back - 1;
  if (leadIndex >= 0 && sequenceLength(head[leadIndex]!) > back + 1) end = leadIndex;
  return end;
}

/** Where to start the tail: after the first line break near the start, else after a split UTF-8 character. */
function snapTailStart(tail: Uint8Array): number {
  const newline = tail.indexOf(0x0a);
  if (newline >= 0 && newline < LINE_SNAP_BYTES) return newline + 1;
  let start = 0;
  while (start < 4 && start < tail.length && isContinuationByte(tail[start]!)) start += 1;
  return start;
}

function isContinuationByte(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

function sequenceLength(lead: number): number {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}
