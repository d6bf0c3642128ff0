import { dgramSocketBackend } from './dgram-socket-pair';
import { NativeRtpIo, RTP_IO_ADDON_PATH } from './native-rtp-io';
import { nativeSocketBackend } from './native-socket-pair';
import type { RtpIoChoice, RtpSocketBackend } from './rtp-socket-backend';

/** The process's native backend once loaded, or why it could not be (tried once: the addon is process-wide). */
let native: RtpSocketBackend | Error | undefined;
let warned = false;

export interface RtpSocketBackendOptions {
  /** Where `auto` says it fell back to dgram; once per process. Default: a process warning on stderr. */
  warn?: (message: string) => void;
  /** Another addon file (tests): loaded afresh, not cached. */
  addonPath?: string;
}

/**
 * The RTP I/O backend for `choice` (`media.rtpIo`). `auto` falls back to dgram, loudly and once,
 * when the addon is not built or cannot load; `native` then throws instead.
 */
export function rtpSocketBackend(
  choice: RtpIoChoice = 'auto',
  options: RtpSocketBackendOptions = {},
): RtpSocketBackend {
  if (choice === 'dgram') return dgramSocketBackend;
  const loaded =
    options.addonPath === undefined ? (native ??= loadNative(RTP_IO_ADDON_PATH)) : loadNative(options.addonPath);
  if (!(loaded instanceof Error)) return loaded;
  if (choice === 'native')
    throw new Error(`media.rtpIo is 'native' but the rtp-io addon cannot be used: ${loaded.message}`);
  if (!warned || options.addonPath !== undefined) {
    warned = true;
    const message = `RTP I/O falls back to Node's dgram (about half the calls per core, docs/media.md): the rtp-io addon cannot be used: ${loaded.message}. Build it with scripts/ensure-deps.sh, or set media.rtpIo to 'dgram' to silence this.`;
    (options.warn ?? ((m: string) => process.emitWarning(m, { code: 'CONFGATE_RTP_IO_FALLBACK' })))(message);
  }
  return dgramSocketBackend;
}

function loadNative(path: string): RtpSocketBackend | Error {
  try {
    return nativeSocketBackend(NativeRtpIo.load(path));
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
