import { encodeH245Message } from '../asn1-codec';
import type {
  CommandMessage,
  IndicationMessage,
  MultimediaSystemControlMessage,
  RequestMessage,
  ResponseMessage,
} from '../generated/h245-types';
import type { SocketAddress } from '../h225/incoming-setup';
import { keysOfUserInput, type H323Key } from '../user-input';
import type { H323AudioCodec } from './audio-codec';
import { CapabilityExchange } from './capability-exchange';
import type { H245TimerValues, StartTimer } from './h245-timer';
import { LogicalChannels } from './logical-channels';
import { MasterSlaveDetermination } from './master-slave-determination';
import type { LocalMedia } from './media-address';

/** What one call's H.245 session is told about, whichever way its messages travel. */
export interface H245SessionEvents {
  key(key: H323Key): void;
  /** confgate's audio channel is open (slow start): RTP goes to `remote`. */
  sending(codec: H323AudioCodec, remote: SocketAddress): void;
  /** The peer ended the session (EndSessionCommand, H.245 §6; H.323 §8.5 step 3). */
  ended(): void;
  /** A procedure failed (timer expiry, rejection): logged; the call goes on on what it has. */
  failed(reason: string): void;
}

export interface H245SessionContext {
  /** Sends one message: tunnelled in H.225.0 or on the separate H.245 connection. */
  send(message: MultimediaSystemControlMessage): void;
  timer: StartTimer;
  timers: H245TimerValues;
  /** 24-bit random numbers for master-slave determination. */
  random(): number;
  /** H.323 Table 1 terminal type. */
  terminalType: number;
  /** Where confgate takes media; undefined until the call is answered. */
  local(): LocalMedia | undefined;
  /** Fast start already set up the audio both ways: no logical channel of confgate's own then (H.323 §8.1.7.3). */
  audioByFastStart(): boolean;
  events: H245SessionEvents;
}

/**
 * One call's H.245 session (ITU-T H.245, as H.323 §8.2 uses it): capability exchange and
 * master-slave determination started by confgate, the peer's logical channels taken or declined,
 * confgate's audio channel opened once both are done (unless fast start already carries the
 * audio), round-trip delay answered, user input turned into keys, EndSessionCommand exchanged at
 * the end. Requests it does not implement get `functionNotSupported` (cause `unknownFunction`).
 */
export class H245Session {
  private readonly msd: MasterSlaveDetermination;
  private readonly capabilities: CapabilityExchange;
  private readonly channels: LogicalChannels;
  private started = false;
  private ended = false;

  constructor(private readonly c: H245SessionContext) {
    const fail = (reason: string): void => c.events.failed(reason);
    const send = (message: MultimediaSystemControlMessage): void => c.send(message);
    this.msd = new MasterSlaveDetermination({
      terminalType: c.terminalType,
      send,
      random: () => c.random(),
      timer: c.timer,
      t106Ms: c.timers.t106Ms,
      n100: c.timers.n100,
      done: (outcome) => (outcome.ok ? this.maybeOpen() : fail(outcome.reason)),
    });
    this.capabilities = new CapabilityExchange({
      send,
      timer: c.timer,
      t101Ms: c.timers.t101Ms,
      outgoingDone: (outcome) => (outcome.ok ? this.maybeOpen() : fail(outcome.reason)),
      received: () => this.maybeOpen(),
    });
    this.channels = new LogicalChannels({
      send,
      timer: c.timer,
      t103Ms: c.timers.t103Ms,
      local: () => c.local(),
      sending: (codec, remote) => c.events.sending(codec, remote),
      sendFailed: fail,
    });
  }

  /** Starts confgate's side: its capability set, then master-slave determination (H.323 §8.2 phase B). */
  start(): void {
    if (this.started || this.ended) return;
    this.started = true;
    this.capabilities.send();
    this.msd.start();
  }

  /** The call's media became known (answered): confgate's channel can open now if H.245 is ready. */
  mediaReady(): void {
    this.maybeOpen();
  }

  /** Ends the session: EndSessionCommand `disconnect` (H.323 §8.5 step 3), once; timers stopped. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.started) this.c.send({ command: { endSessionCommand: { disconnect: null } } });
    this.dispose();
  }

  dispose(): void {
    this.msd.dispose();
    this.capabilities.dispose();
    this.channels.dispose();
  }

  receive(message: MultimediaSystemControlMessage): void {
    if (this.ended) return;
    if ('request' in message) return this.onRequest(message.request, message);
    if ('response' in message) return this.onResponse(message.response);
    if ('command' in message) return this.onCommand(message.command, message);
    if ('indication' in message) return this.onIndication(message.indication);
  }

  private onRequest(request: RequestMessage, whole: MultimediaSystemControlMessage): void {
    // A peer that starts H.245 first (H323Plus does, after fast start) gets confgate's side too.
    if (!this.started) this.start();
    if ('masterSlaveDetermination' in request) {
      const m = request.masterSlaveDetermination;
      return this.msd.onRequest(m.terminalType, m.statusDeterminationNumber);
    }
    if ('terminalCapabilitySet' in request) return this.capabilities.onSet(request.terminalCapabilitySet);
    if ('openLogicalChannel' in request) return this.channels.onOpen(request.openLogicalChannel);
    if ('closeLogicalChannel' in request)
      return this.channels.onClose(request.closeLogicalChannel.forwardLogicalChannelNumber);
    if ('requestChannelClose' in request)
      return this.channels.onRequestClose(request.requestChannelClose.forwardLogicalChannelNumber);
    if ('roundTripDelayRequest' in request)
      return this.c.send({
        response: { roundTripDelayResponse: { sequenceNumber: request.roundTripDelayRequest.sequenceNumber } },
      });
    this.notSupported(whole);
  }

  private onResponse(response: ResponseMessage): void {
    if ('masterSlaveDeterminationAck' in response)
      return this.msd.onAck('master' in response.masterSlaveDeterminationAck.decision ? 'master' : 'slave');
    if ('masterSlaveDeterminationReject' in response) return this.msd.onReject();
    if ('terminalCapabilitySetAck' in response)
      return this.capabilities.onAck(response.terminalCapabilitySetAck.sequenceNumber);
    if ('terminalCapabilitySetReject' in response)
      return this.capabilities.onReject(response.terminalCapabilitySetReject.sequenceNumber);
    if ('openLogicalChannelAck' in response) return this.channels.onAck(response.openLogicalChannelAck);
    if ('openLogicalChannelReject' in response)
      return this.channels.onReject(response.openLogicalChannelReject.forwardLogicalChannelNumber);
  }

  private onCommand(command: CommandMessage, whole: MultimediaSystemControlMessage): void {
    if ('endSessionCommand' in command) {
      this.end();
      return this.c.events.ended();
    }
    if ('sendTerminalCapabilitySet' in command) return this.capabilities.send();
    // Flow control, miscellaneous and the like ask nothing of an IVR; a command confgate cannot even name is reported.
    if ('$unknown' in command) this.notSupported(whole);
  }

  private onIndication(indication: IndicationMessage): void {
    if ('userInput' in indication) {
      for (const key of keysOfUserInput(indication.userInput)) this.c.events.key(key);
      return;
    }
    if ('masterSlaveDeterminationRelease' in indication) this.msd.onRelease();
  }

  /** Opens confgate's audio channel once capabilities went both ways and master-slave is settled. */
  private maybeOpen(): void {
    if (this.ended || this.channels.sendChannelRequested || this.c.audioByFastStart()) return;
    const peer = this.capabilities.peerCapabilities;
    if (!peer || peer.empty || !this.capabilities.sentAndAcknowledged || !this.msd.status) return;
    const codec = peer.receiveAudio[0];
    if (!codec) return this.c.events.failed('the peer receives neither G.711 law');
    this.channels.open(codec);
  }

  private notSupported(whole: MultimediaSystemControlMessage): void {
    this.c.send({
      indication: {
        functionNotSupported: { cause: { unknownFunction: null }, returnedFunction: encodeH245Message(whole) },
      },
    });
  }
}
