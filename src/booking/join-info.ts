import { uriHost } from '../sip';
import type { Booking } from './booking';

/** Every way to join a conference, as the confirmation lists them. */
export interface JoinInfo {
  sipUri: string;
  h323Uri: string;
  ip: string;
  phone: string;
  desktopLink: string;
  number: string;
  accessCode: number;
}

export interface JoinSettings {
  publicHost: string;
  phoneNumber: string;
  desktopLinkTemplate: string;
}

/** Builds the join information for a booking from the deployment's public settings. */
export function joinInfo(booking: Pick<Booking, 'number' | 'accessCode'>, settings: JoinSettings): JoinInfo {
  const host = uriHost(settings.publicHost);
  return {
    sipUri: `sip:${booking.number}@${host}`,
    h323Uri: `h323:${booking.number}@${host}`,
    ip: settings.publicHost,
    phone: settings.phoneNumber,
    desktopLink: settings.desktopLinkTemplate.replaceAll('{host}', host).replaceAll('{number}', booking.number),
    number: booking.number,
    accessCode: booking.accessCode,
  };
}
