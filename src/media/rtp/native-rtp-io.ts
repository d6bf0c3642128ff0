import { join } from 'node:path';

/** The functions of native/rtp-io/src/rtp_io.cc (see its header for the record layout). */
interface RtpIoAddon {
  readonly RECORD_STRIDE: number;
  readonly RECEIVE_SLOT_BYTES: number;
  init(
    receiveData: Uint8Array,
    receiveRecords: Int32Array,
    sendData: Uint8Array,
    sendRecords: Int32Array,
    onBatch: (count: number) => void,
  ): number;
  open(address: string, port: number): number;
  close(id: number): number;
  connect(id: number, address?: string, port?: number): number;
  send(count: number): number;
  pton(address: string, out: Int32Array, index: number): number;
  ntop(records: Int32Array, index: number): string;
  counters(): [openSockets: number, icmpErrors: number, receiveErrors: number];
}

/** Where node-gyp puts the addon (scripts/ensure-deps.sh builds it); the same path from src/ and dist/. */
export const RTP_IO_ADDON_PATH = join(
  __dirname,
  '..',
  '..',
  '..',
  'native',
  'rtp-io',
  'build',
  'Release',
  'rtp_io.node',
);

/** Record fields (Int32), see rtp_io.cc: socket id, offset, length, family (0 connected, 4, 6), port, address words. */
export const RECORD = { id: 0, offset: 1, length: 2, family: 3, port: 4, address: 5 } as const;

/** Received datagrams per batch (each has a slot of RECEIVE_SLOT_BYTES). */
const RECEIVE_SLOTS = 256;
/** Send batch: a pacing sub-tick of 1,000 calls is 250 packets of 172 bytes; room for several. */
const SEND_RECORDS = 2048;
const SEND_BYTES = 1 << 20;

const loaded = new Map<string, NativeRtpIo>();

/** One native socket's consumer: the RTP or RTCP side of a NativeRtpSocketPair. */
export interface NativeSocketOwner {
  /** The socket id this owner was attached under (a closed id's batched datagrams are skipped). */
  readonly id: number;
  /** A received datagram: its record starts at `records[at]`, its bytes are in `data` (valid during the call only). */
  received(records: Int32Array, at: number, data: Uint8Array): void;
  /** A datagram queued by `queueSend` for this socket was dropped (errno: EAGAIN, ECONNREFUSED...). */
  sendFailed(errno: number): void;
}

/**
 * The process's native RTP socket I/O: the addon and its shared buffers. Sends are queued into
 * one buffer and flushed by one native call at the end of the current JavaScript job (a
 * microtask): a pacing sub-tick that serves 250 calls costs one crossing, not 250. Received
 * datagrams arrive in batches from the addon's epoll set, one JS call per batch, and are handed to
 * their socket's owner.
 */
export class NativeRtpIo {
  readonly stride: number;
  private readonly owners: Array<NativeSocketOwner | undefined> = [];
  private readonly receiveData: Uint8Array;
  private readonly receiveRecords: Int32Array;
  private readonly sendData = new Uint8Array(SEND_BYTES);
  private readonly sendRecords: Int32Array;
  private sendCount = 0;
  private sendBytes = 0;
  private flushQueued = false;
  private readonly flushLater = (): void => {
    this.flushQueued = false;
    this.flush();
  };
  /** Datagrams handed to the kernel, and those it refused. */
  sent = 0;
  sendFailures = 0;
  /** Native send calls made (one per flushed batch), and receive batches delivered (one JS call each). */
  flushes = 0;
  batches = 0;

  private constructor(private readonly addon: RtpIoAddon) {
    this.stride = addon.RECORD_STRIDE;
    this.receiveData = new Uint8Array(RECEIVE_SLOTS * addon.RECEIVE_SLOT_BYTES);
    this.receiveRecords = new Int32Array(RECEIVE_SLOTS * this.stride);
    this.sendRecords = new Int32Array(SEND_RECORDS * this.stride);
    const status = addon.init(this.receiveData, this.receiveRecords, this.sendData, this.sendRecords, (count) =>
      this.deliver(count),
    );
    if (status < 0) throw new Error(`rtp-io init failed (errno ${-status})`);
  }

  /**
   * The process's instance for the addon at `path`, loaded on first use; throws what went wrong (not
   * built, wrong platform, another thread has it). One per path: a second `init` would take the
   * addon's buffers and callback from the first.
   */
  static load(path: string = RTP_IO_ADDON_PATH): NativeRtpIo {
    let io = loaded.get(path);
    // A compiled addon (.node) is loaded by path at run time; only require() (process.dlopen) can load one.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (!io) loaded.set(path, (io = new NativeRtpIo(require(path) as RtpIoAddon)));
    return io;
  }

  /** Binds a UDP socket; returns its id, or -errno (-98 EADDRINUSE when the port is taken). */
  open(address: string, port: number): number {
    return this.addon.open(address, port);
  }

  /** Routes the socket's datagrams and send failures to `owner` (whose `id` is the socket's). */
  attach(owner: NativeSocketOwner): void {
    this.owners[owner.id & 0xffff] = owner;
  }

  /** Closes the socket at once: its port is free when this returns; its datagrams still batched are skipped. */
  close(id: number): void {
    const slot = id & 0xffff;
    if (this.owners[slot]?.id === id) this.owners[slot] = undefined;
    this.addon.close(id);
  }

  /** connect(2) to a peer, or undo it (no address); 0 or -errno. Synchronous: the address is a literal. */
  connect(id: number, peer?: { address: string; port: number }): number {
    return peer ? this.addon.connect(id, peer.address, peer.port) : this.addon.connect(id);
  }

  /** Fills a destination record (family, port, address words) for `queueSend`; false when `address` is not a literal IP. */
  resolve(address: string, port: number, out: Int32Array): boolean {
    if (this.addon.pton(address, out, 0) === 0) return false;
    out[RECORD.port] = port;
    return true;
  }

  /** The source address of the received record at `at`, as text. */
  addressOf(records: Int32Array, at: number): string {
    return this.addon.ntop(records, at);
  }

  /**
   * Copies `datagram` into the send batch, to the connected peer (`to` undefined) or to the
   * destination record `to` (from `resolve`). The batch goes out at the end of the current job.
   */
  queueSend(id: number, datagram: Uint8Array, to: Int32Array | undefined): void {
    const length = datagram.length;
    if (this.sendCount === SEND_RECORDS || this.sendBytes + length > SEND_BYTES) this.flush();
    if (length > SEND_BYTES) {
      this.failed(id, 90); // EMSGSIZE
      return;
    }
    const r = this.sendCount * this.stride;
    const records = this.sendRecords;
    records[r] = id;
    records[r + RECORD.offset] = this.sendBytes;
    records[r + RECORD.length] = length;
    if (to === undefined) records[r + RECORD.family] = 0;
    else for (let i = RECORD.family; i < this.stride; i++) records[r + i] = to[i]!;
    this.sendData.set(datagram, this.sendBytes);
    this.sendBytes += length;
    this.sendCount++;
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(this.flushLater);
    }
  }

  /** Sends the queued batch now: one native call, sendmmsg per run of one socket's packets. */
  flush(): void {
    const count = this.sendCount;
    if (count === 0) return;
    this.sendCount = 0;
    this.sendBytes = 0;
    this.flushes++;
    const failures = this.addon.send(count);
    this.sent += count - failures;
    if (failures <= 0) return;
    const records = this.sendRecords;
    for (let r = 0; r < count * this.stride; r += this.stride) {
      const length = records[r + RECORD.length]!;
      if (length < 0) this.failed(records[r]!, -length);
    }
  }

  /** Open native sockets, ICMP errors read from them, other receive errors. */
  counters(): { openSockets: number; icmpErrors: number; receiveErrors: number } {
    const [openSockets, icmpErrors, receiveErrors] = this.addon.counters();
    return { openSockets, icmpErrors, receiveErrors };
  }

  private failed(id: number, errno: number): void {
    this.sendFailures++;
    const owner = this.owners[id & 0xffff];
    if (owner?.id === id) owner.sendFailed(errno);
  }

  private deliver(count: number): void {
    this.batches++;
    const records = this.receiveRecords;
    const data = this.receiveData;
    for (let r = 0; r < count * this.stride; r += this.stride) {
      const id = records[r]!;
      const owner = this.owners[id & 0xffff];
      // A socket closed during this batch (by an earlier datagram's handler) gets nothing more.
      if (owner === undefined || owner.id !== id) continue;
      try {
        owner.received(records, r, data);
      } catch {
        // The owners count their handler errors; nothing may escape into the addon's callback.
      }
      // A pacing tick served from this datagram (PacingClock.serveIfDue) goes out now, not after the batch.
      if (this.sendCount > 0) this.flush();
    }
  }
}
