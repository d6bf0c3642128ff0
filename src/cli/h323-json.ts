/**
 * The JSON form of H.323 frames used by `confgate h323`: octets are hex strings. Q.931 parts are
 * validated here with zod; the ASN.1 values are checked by the PER encoder itself, which reports
 * the field path of anything that does not fit its type.
 */
import { z } from 'zod';
import { Q931_MESSAGE_TYPES } from '../h323/q931-message';

const hexBytes = z
  .string()
  .regex(/^([0-9a-fA-F]{2})*$/, 'must be hex octets')
  .transform((h) => Uint8Array.from(Buffer.from(h, 'hex')));
const octet = z.number().int().min(0).max(255);
const bits = (n: number) =>
  z
    .number()
    .int()
    .min(0)
    .max(2 ** n - 1);
const ia5 = z.string().regex(/^\p{ASCII}*$/u, 'must be IA5 (ASCII) characters');

const informationElement = z.discriminatedUnion('ie', [
  z.object({
    ie: z.literal('bearerCapability'),
    codingStandard: bits(2),
    transferCapability: bits(5),
    transferMode: bits(2),
    transferRate: bits(5),
    rateMultiplier: bits(7).optional(),
    layer1Protocol: bits(5).optional(),
    extra: hexBytes.optional(),
  }),
  z.object({
    ie: z.literal('cause'),
    codingStandard: bits(2),
    location: bits(4),
    recommendation: bits(7).optional(),
    value: bits(7),
    diagnostics: hexBytes.optional(),
  }),
  z.object({
    ie: z.enum(['calledPartyNumber', 'callingPartyNumber']),
    typeOfNumber: bits(3),
    numberingPlan: bits(4),
    presentation: bits(2).optional(),
    screening: bits(2).optional(),
    digits: ia5,
  }),
  z.object({ ie: z.enum(['display', 'keypadFacility']), text: ia5 }),
  z.object({ ie: z.literal('userUser'), protocolDiscriminator: octet, data: hexBytes }),
  z.object({ ie: z.literal('other'), id: octet, data: hexBytes }),
]);

export const q931Schema = z.object({
  callReference: z.number().int().min(0).max(0x7fff),
  fromDestination: z.boolean(),
  messageType: z.enum(
    Object.keys(Q931_MESSAGE_TYPES) as [keyof typeof Q931_MESSAGE_TYPES, ...Array<keyof typeof Q931_MESSAGE_TYPES>],
  ),
  ies: z.array(informationElement),
});

/** What `confgate h323 encode` reads: a signalling frame, a standalone H.245 PDU, or a RAS message. */
const signallingJson = z
  .object({
    q931: q931Schema,
    userInformation: z.record(z.string(), z.unknown()).optional(),
    tunnelled: z
      .object({ fastStart: z.array(z.unknown()).optional(), h245Control: z.array(z.unknown()).optional() })
      .strict()
      .optional(),
  })
  .strict();
const h245Json = z.object({ h245: z.record(z.string(), z.unknown()) }).strict();
const rasJson = z.object({ ras: z.record(z.string(), z.unknown()) }).strict();

/** Picks the schema by the top-level key, so that errors name the fields of the intended form. */
export function frameJsonSchema(json: unknown): typeof signallingJson | typeof h245Json | typeof rasJson {
  if (typeof json === 'object' && json !== null && 'ras' in json) return rasJson;
  if (typeof json === 'object' && json !== null && 'h245' in json) return h245Json;
  return signallingJson;
}

/** JSON.stringify with octets as hex strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v), 2);
}
