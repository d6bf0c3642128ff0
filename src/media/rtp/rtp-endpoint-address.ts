/** Where RTP goes to or comes from: a literal IP address and a UDP port. */
export interface RtpEndpointAddress {
  address: string;
  port: number;
}
