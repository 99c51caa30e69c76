// A synchronous push parser for tar streams: headers decoded, content handed to sinks as sub-views of the chunks.
import { ABSURD_SIZE, decodeHeader, isZeroBlock, parsePax, type TarHeader } from './tar-header.js';

/** Receives one entry's content bytes. The chunk memory is reused after the call returns. */
export interface ContentSink {
  data(chunk: Buffer): void;
  end(): void;
}

/** What the parser reports to its owner. */
export interface TarHandler {
  /** A new entry (long names and PAX overrides applied); return a sink to receive its content, or undefined. */
  entry(h: TarHeader, offset: number): ContentSink | undefined;
  /** A problem that does not stop the parse (or, when `fatal`, ends it). */
  problem(reason: string, fatal: boolean, path?: string): void;
}

const META_CAP = 1 << 20; // PAX records and GNU long names

type State = 'header' | 'content' | 'padding' | 'meta' | 'done';

/** Parses a tar byte stream fed with write(); `limit` is the stream's total size when known. */
export class TarParser {
  private state: State = 'header';
  private readonly block = Buffer.alloc(512);
  private blockFill = 0;
  private remaining = 0;
  private padding = 0;
  private sink: ContentSink | undefined;
  private current: TarHeader | undefined;
  private meta: Buffer[] = [];
  private metaType: TarHeader['type'] = 'other';
  private pax: Record<string, string> = {};
  private longName: string | undefined;
  private longLink: string | undefined;
  private zeroBlocks = 0;
  /** Bytes consumed so far. */
  offset = 0;

  constructor(
    private readonly handler: TarHandler,
    private readonly limit?: number,
  ) {}

  /** True once the end-of-archive marker was seen or parsing stopped on a problem. */
  get done(): boolean {
    return this.state === 'done';
  }

  /** Feeds the next bytes of the stream. */
  write(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length && this.state !== 'done') {
      switch (this.state) {
        case 'header': {
          const take = Math.min(512 - this.blockFill, chunk.length - pos);
          chunk.copy(this.block, this.blockFill, pos, pos + take);
          this.blockFill += take;
          pos += take;
          this.offset += take;
          if (this.blockFill === 512) {
            this.blockFill = 0;
            this.onHeader();
          }
          break;
        }
        case 'content':
        case 'meta': {
          const take = Math.min(this.remaining, chunk.length - pos);
          const part = chunk.subarray(pos, pos + take);
          if (this.state === 'content') this.sink?.data(part);
          else this.meta.push(Buffer.from(part));
          pos += take;
          this.offset += take;
          this.remaining -= take;
          if (this.remaining === 0) this.finishEntry();
          break;
        }
        case 'padding': {
          const take = Math.min(this.padding, chunk.length - pos);
          pos += take;
          this.offset += take;
          this.padding -= take;
          if (this.padding === 0) this.state = 'header';
          break;
        }
      }
    }
    if (this.state === 'done') this.offset += chunk.length - pos;
  }

  /** Signals the end of the stream; reports an entry cut short. */
  end(): void {
    if (this.state === 'content' || this.state === 'meta') {
      this.handler.problem(`truncated: ${this.remaining} bytes of the entry missing at the end of the layer`, false, this.current?.path);
      this.sink?.end();
      this.sink = undefined;
    } else if (this.state === 'header' && this.blockFill > 0) {
      this.handler.problem('truncated: the layer ends inside a tar header', false);
    }
    this.state = 'done';
  }

  private onHeader(): void {
    const at = this.offset - 512;
    if (isZeroBlock(this.block)) {
      if (++this.zeroBlocks >= 2) this.state = 'done';
      return;
    }
    this.zeroBlocks = 0;
    const h = decodeHeader(this.block);
    if (!h) {
      this.handler.problem(`corrupt tar header at offset ${at} (bad checksum)`, true);
      this.state = 'done';
      return;
    }
    if (h.type === 'pax' || h.type === 'pax-global' || h.type === 'gnu-longname' || h.type === 'gnu-longlink') {
      if (!(h.size >= 0) || h.size > META_CAP) {
        this.handler.problem(`tar metadata record of ${h.size} bytes at offset ${at} exceeds the cap; rest of layer not listed`, false, h.path);
        this.state = 'done';
        return;
      }
      this.metaType = h.type;
      this.meta = [];
      this.startBody(h.size, 'meta');
      return;
    }
    this.applyOverrides(h);
    if (!Number.isFinite(h.size) || h.size < 0 || h.size > ABSURD_SIZE || (this.limit !== undefined && at + 512 + h.size > this.limit)) {
      this.handler.problem(`absurd size ${h.size} in tar header at offset ${at}; rest of layer not listed`, false, h.path);
      this.state = 'done';
      return;
    }
    // Links, directories and devices carry no content even when a size is set (except hard links in some writers).
    const size = h.type === 'file' || h.type === 'other' || h.type === 'hardlink' ? h.size : 0;
    this.current = h;
    this.sink = this.handler.entry(h, at);
    this.startBody(size, 'content');
  }

  private applyOverrides(h: TarHeader): void {
    if (this.longName !== undefined) h.path = this.longName;
    if (this.longLink !== undefined) h.linkname = this.longLink;
    if (this.pax.path !== undefined) h.path = this.pax.path;
    if (this.pax.linkpath !== undefined) h.linkname = this.pax.linkpath;
    if (this.pax.size !== undefined) h.size = /^\d+$/.test(this.pax.size) ? Number(this.pax.size) : NaN;
    this.longName = undefined;
    this.longLink = undefined;
    this.pax = {};
  }

  private startBody(size: number, state: 'content' | 'meta'): void {
    this.remaining = size;
    this.padding = (512 - (size % 512)) % 512;
    this.state = state;
    if (size === 0) this.finishEntry();
  }

  private finishEntry(): void {
    if (this.state === 'meta') {
      const data = Buffer.concat(this.meta);
      this.meta = [];
      if (this.metaType === 'pax') this.pax = parsePax(data);
      else if (this.metaType === 'gnu-longname') this.longName = data.toString('utf8').replace(/\0.*$/s, '');
      else if (this.metaType === 'gnu-longlink') this.longLink = data.toString('utf8').replace(/\0.*$/s, '');
    } else {
      this.sink?.end();
      this.sink = undefined;
      this.current = undefined;
    }
    this.state = this.padding > 0 ? 'padding' : 'header';
  }
}
