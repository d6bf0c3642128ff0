import { z } from 'zod';

/**
 * The one schema for every confgate setting. Files and environment variables are merged
 * into a raw object first (see `load-config.ts`), then validated here, so an invalid
 * setting is reported with its key path and the rule it broke.
 */
export const mcuSchema = z.object({
  /** SIP URI template with `{number}`, `{title}`, `{id}` placeholders. */
  uri: z.string().regex(/^sips?:/, 'must be a SIP URI template such as sip:{number}@mcu.example.org'),
  /** Ports (simultaneous legs) the MCU accepts. */
  capacity: z.number().int().positive().default(100),
  weight: z.number().int().positive().default(1),
});

const INVITE_RATE_DEFAULTS = {
  perSource: 20,
  burst: 40,
  total: 2000,
  totalBurst: 4000,
  trustedPerSource: 500,
  trustedBurst: 1000,
  maxSources: 10000,
  retryAfterSeconds: 5,
};

export const configSchema = z
  .object({
    http: z
      .object({
        host: z.string().min(1).default('0.0.0.0'),
        port: z.number().int().min(0).max(65535).default(8080),
        bodyLimitBytes: z.number().int().positive().default(65536),
      })
      .strict()
      .default({ host: '0.0.0.0', port: 8080, bodyLimitBytes: 65536 }),
    sip: z
      .object({
        host: z.string().min(1).default('0.0.0.0'),
        port: z.number().int().min(0).max(65535).default(5060),
        transports: z
          .array(z.enum(['udp', 'tcp', 'tls']))
          .min(1)
          .default(['udp', 'tcp']),
        tls: z
          .object({ port: z.number().int().min(0).max(65535).default(5061), certFile: z.string(), keyFile: z.string() })
          .strict()
          .optional(),
        /** Host written in Via and Contact when `host` is a wildcard (default: 127.0.0.1). */
        advertisedHost: z.string().min(1).optional(),
        /** Largest SIP message accepted; larger ones are dropped with a log line (RFC 3261 §18.1.1). */
        maxMessageBytes: z.number().int().min(1500).max(65535).default(65535),
        /** RFC 3261 Table 4 timers, milliseconds. */
        timers: z
          .object({
            t1: z.number().int().min(50).max(10000).default(500),
            t2: z.number().int().min(500).max(60000).default(4000),
            t4: z.number().int().min(500).max(60000).default(5000),
          })
          .strict()
          .default({ t1: 500, t2: 4000, t4: 5000 }),
        /** RFC 4028 session timers, seconds. */
        sessionTimer: z
          .object({
            enabled: z.boolean().default(true),
            expires: z.number().int().min(90).default(1800),
            minSE: z.number().int().min(90).default(90),
          })
          .strict()
          .default({ enabled: true, expires: 1800, minSE: 90 }),
        /** New INVITEs per source address (token buckets); past the limit, a stateless 503 with Retry-After. */
        inviteRate: z
          .object({
            /** INVITEs per second a source may keep up. */
            perSource: z.number().positive().max(100000).default(20),
            /** INVITEs a source may send at once after a quiet spell. */
            burst: z.number().int().min(1).max(100000).default(40),
            /** INVITEs per second from all untrusted sources together (trusted gateways are not counted: docs/sip.md). */
            total: z.number().positive().max(1000000).default(2000),
            totalBurst: z.number().int().min(1).max(1000000).default(4000),
            /** The rate of `admission.trustedGateways`, which carry many callers each. */
            trustedPerSource: z.number().positive().max(100000).default(500),
            trustedBurst: z.number().int().min(1).max(100000).default(1000),
            /** Sources tracked at most; idle ones are forgotten first, then the least recently seen. */
            maxSources: z.number().int().min(100).max(1000000).default(10000),
            /** Retry-After (s) of the 503. */
            retryAfterSeconds: z.number().int().min(1).max(3600).default(5),
          })
          .strict()
          .default(INVITE_RATE_DEFAULTS),
      })
      .strict()
      .default({
        host: '0.0.0.0',
        port: 5060,
        transports: ['udp', 'tcp'],
        maxMessageBytes: 65535,
        timers: { t1: 500, t2: 4000, t4: 5000 },
        sessionTimer: { enabled: true, expires: 1800, minSE: 90 },
        inviteRate: INVITE_RATE_DEFAULTS,
      }),
    /**
     * Redis connection URL; absent means the in-process store (nothing persisted or shared).
     * `redis+sentinel://` and `redis+cluster://` select Sentinel or Cluster (see `src/store/redis-connection.ts`).
     */
    redisUrl: z
      .string()
      .regex(
        /^rediss?(\+(sentinel|cluster))?:\/\//,
        'must be a redis://, rediss://, redis+sentinel:// or redis+cluster:// URL',
      )
      .optional(),
    /** Host name or IP printed in join information (SIP/H.323 URIs, bridge IP). */
    publicHost: z.string().min(1).default('127.0.0.1'),
    /** Dial-in telephone number printed in join information ('' hides the line). */
    phoneNumber: z.string().default(''),
    /** Desktop join link template with `{host}` and `{number}`. */
    desktopLinkTemplate: z.string().default('https://{host}/join/{number}'),
    adminToken: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Bearer token `/metrics` asks for; absent: `/metrics` is open, like most exporters. */
    metricsToken: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Live call events, the admin's SSE stream and audit (docs/live.md). */
    /** H.323 call signalling (H.225.0 over TCP, docs/h323.md); it binds to `sip.host`. */
    h323: z
      .object({
        enabled: z.boolean().default(true),
        port: z.number().int().min(0).max(65535).default(1720),
        /** Longest TPKT frame accepted; a longer one closes the connection from its header. */
        maxFrameBytes: z.number().int().min(1024).max(65535).default(8192),
        /** A connection without a Setup this long after it opened is closed (ms). */
        setupTimeoutMs: z.number().int().min(100).max(120000).default(10000),
        /** A frame begun and not finished this long closes the connection (ms). */
        partialFrameTimeoutMs: z.number().int().min(100).max(60000).default(5000),
        /** Open call signalling connections one source address may hold. */
        maxConnectionsPerSource: z.number().int().min(1).max(100000).default(20),
      })
      .strict()
      .default({
        enabled: true,
        port: 1720,
        maxFrameBytes: 8192,
        setupTimeoutMs: 10000,
        partialFrameTimeoutMs: 5000,
        maxConnectionsPerSource: 20,
      }),
    live: z
      .object({
        /** Call events kept in `{confgate}:events` for SSE resume (`XADD MAXLEN ~`). */
        eventStreamMaxLength: z.number().int().min(100).max(10000000).default(10000),
        /** A call in the IVR leaves the live list this long after its last event if its instance dies. */
        ivrLeaseSeconds: z.number().int().min(10).max(3600).default(120),
        /** SSE comment sent this often so proxies keep the stream open. */
        sseHeartbeatSeconds: z.number().min(1).max(300).default(15),
        /** Admin actions kept in `{confgate}:audit`. */
        auditMaxLength: z.number().int().min(100).max(10000000).default(100000),
      })
      .strict()
      .default({ eventStreamMaxLength: 10000, ivrLeaseSeconds: 120, sseHeartbeatSeconds: 15, auditMaxLength: 100000 }),
    language: z.enum(['fr', 'en']).default('en'),
    booking: z
      .object({
        numberLength: z.number().int().min(4).max(9).default(4),
        earlyJoinMinutes: z.number().int().min(0).max(120).default(10),
        graceMinutes: z.number().int().min(0).max(120).default(10),
        maxMonthsAhead: z.number().int().min(1).max(24).default(3),
      })
      .strict()
      .default({ numberLength: 4, earlyJoinMinutes: 10, graceMinutes: 10, maxMonthsAhead: 3 }),
    mcu: z.array(mcuSchema).default([]),
    smtp: z
      .object({
        host: z.string().default(''),
        port: z.number().int().min(1).max(65535).default(25),
        secure: z.boolean().default(false),
        user: z.string().optional(),
        password: z.string().optional(),
        from: z.string().min(3).default('confgate <confgate@localhost>'),
        maxAttempts: z.number().int().min(1).max(100).default(8),
        retryBaseSeconds: z.number().positive().default(30),
        /** Ceiling of the exponential retry delay. */
        retryMaxSeconds: z.number().positive().default(3600),
        /** Connection, greeting and socket timeout of one SMTP send. */
        timeoutSeconds: z.number().positive().default(60),
        /** How long a claimed job stays invisible to other workers; must exceed `timeoutSeconds`. */
        leaseSeconds: z.number().positive().default(300),
        /** How often the mail worker looks for due jobs. */
        pollSeconds: z.number().positive().default(5),
      })
      .strict()
      .refine((s) => s.leaseSeconds > s.timeoutSeconds, {
        message: 'must be greater than smtp.timeoutSeconds',
        path: ['leaseSeconds'],
      })
      .default({
        host: '',
        port: 25,
        secure: false,
        from: 'confgate <confgate@localhost>',
        maxAttempts: 8,
        retryBaseSeconds: 30,
        retryMaxSeconds: 3600,
        timeoutSeconds: 60,
        leaseSeconds: 300,
        pollSeconds: 5,
      }),
    /** The IVR that collects conference number and access code (docs/ivr.md). */
    ivr: z
      .object({
        /** After a prompt ends, how long to wait for the first digit of an entry. */
        firstDigitTimeoutMs: z.number().int().min(1000).max(60000).default(10000),
        /** Between two digits of an entry (until `#`). */
        interDigitTimeoutMs: z.number().int().min(1000).max(60000).default(5000),
        /** Failed entries per stage (number, code) before goodbye and hang-up. */
        maxAttempts: z.number().int().min(1).max(10).default(3),
        /** Digits kept per entry: a stuck key cannot grow memory. */
        maxDigits: z.number().int().min(9).max(64).default(20),
        /** An admission or lookup slower than this is answered as `unavailable`. */
        admissionTimeoutMs: z.number().int().min(100).max(30000).default(3000),
        /** Calls in the IVR at once on this instance; kept below the RTP port pairs of `media` (docs/ivr.md). */
        maxCalls: z.number().int().min(1).max(100000).default(2000),
        /** Calls in the IVR at once from one source address (`admission.trustedGateways` are held to `maxCalls` only). */
        maxCallsPerSource: z.number().int().min(1).max(100000).default(10),
        /** Generated prompt clips and their manifest, relative to the working directory. */
        promptsDir: z.string().min(1).default('prompts'),
      })
      .strict()
      .default({
        firstDigitTimeoutMs: 10000,
        interDigitTimeoutMs: 5000,
        maxAttempts: 3,
        maxDigits: 20,
        admissionTimeoutMs: 3000,
        maxCalls: 2000,
        maxCallsPerSource: 10,
        promptsDir: 'prompts',
      }),
    /** Admission of callers to conferences (docs/admission.md): leases and brute-force limits. */
    admission: z
      .object({
        /** A participant's slot is held this long unless its instance renews it; an instance that dies frees its slots after it. */
        leaseSeconds: z.number().min(1).max(3600).default(30),
        /** How often an instance renews the leases of all its participants (one batched call); less than `leaseSeconds`. */
        renewSeconds: z.number().min(0.1).max(1200).default(10),
        /** How often each instance frees participants whose lease expired. */
        reapSeconds: z.number().min(0.1).max(600).default(5),
        /** Wrong codes and unknown numbers allowed per source address (or per calling number behind a trusted gateway) in `sourceWindowMinutes`. */
        maxFailuresPerSource: z.number().int().min(1).max(1000).default(5),
        sourceWindowMinutes: z.number().min(1).max(1440).default(15),
        /**
         * Wrong codes per conference number in `conferenceWindowMinutes` from which it is under attack:
         * throttled (codes checked after a hold, new sources limited harder, admins alerted), never closed.
         */
        maxFailuresPerConference: z.number().int().min(1).max(10000).default(30),
        conferenceWindowMinutes: z.number().min(1).max(1440).default(60),
        /** Failures allowed, on an attacked conference, to a source (or gateway caller) not admitted in `provenSourceDays`. */
        maxFailuresPerNewSource: z.number().int().min(1).max(1000).default(1),
        /** A source admitted to any conference this recently keeps `maxFailuresPerSource` on an attacked conference. */
        provenSourceDays: z.number().min(0).max(365).default(30),
        /** Wait before an attacked conference checks a code, per wrong code past `maxFailuresPerConference`... */
        attackHoldStepSeconds: z.number().min(0).max(60).default(1),
        /** ... and at most this long. */
        attackHoldMaxSeconds: z.number().min(0).max(120).default(20),
        /**
         * Codes from sources not admitted in `provenSourceDays` an attacked conference checks in an hour
         * (a sliding hour; wrong ones spend it); once spent, it checks only proven sources' codes.
         */
        attackNewSourceChecksPerHour: z.number().int().min(1).max(100000).default(30),
        /** Gateway addresses (e.g. a PSTN gateway) whose callers are counted per calling number instead of per address. */
        trustedGateways: z.array(z.string().min(1).max(64)).default([]),
        /** A number whose last conference ended less than this ago answers `ended` rather than `unknown`. */
        endedNoticeHours: z.number().min(0).max(720).default(24),
      })
      .strict()
      .refine((a) => a.renewSeconds < a.leaseSeconds, {
        message: 'must be less than admission.leaseSeconds',
        path: ['renewSeconds'],
      })
      .default({
        leaseSeconds: 30,
        renewSeconds: 10,
        reapSeconds: 5,
        maxFailuresPerSource: 5,
        sourceWindowMinutes: 15,
        maxFailuresPerConference: 30,
        conferenceWindowMinutes: 60,
        maxFailuresPerNewSource: 1,
        provenSourceDays: 30,
        attackHoldStepSeconds: 1,
        attackHoldMaxSeconds: 20,
        attackNewSourceChecksPerHour: 30,
        trustedGateways: [],
        endedNoticeHours: 24,
      }),
    /** MCU placement, health pings, the dial-in B2BUA and call records (docs/routing.md). */
    routing: z
      .object({
        /** OPTIONS ping to each MCU every this many ms. */
        healthIntervalMs: z.number().int().min(100).max(600000).default(5000),
        /** A ping not answered within this many ms counts as a failure. */
        healthTimeoutMs: z.number().int().min(50).max(60000).default(2000),
        /** Consecutive failed pings before an MCU is marked down. */
        downAfterFailures: z.number().int().min(1).max(100).default(3),
        /** Consecutive answered pings before a down MCU is marked up again. */
        upAfterSuccesses: z.number().int().min(1).max(100).default(2),
        /** Retry-After (seconds) of a 503 when no MCU can take the call. */
        retryAfterSeconds: z.number().int().min(0).max(86400).default(30),
        /** How often each instance checks its live legs against their booking's end and status. */
        sweepIntervalMs: z.number().int().min(100).max(600000).default(5000),
        /** Call records kept (Redis stream MAXLEN ~, or in-process ring buffer size). */
        callRecordRetention: z.number().int().min(1).max(10000000).default(100000),
      })
      .strict()
      .default({
        healthIntervalMs: 5000,
        healthTimeoutMs: 2000,
        downAfterFailures: 3,
        upAfterSuccesses: 2,
        retryAfterSeconds: 30,
        sweepIntervalMs: 5000,
        callRecordRetention: 100000,
      }),
    /** The IVR-phase RTP endpoint (docs/media.md). */
    media: z
      .object({
        /** Local address the RTP sockets bind to; the SDP advertises `publicHost`. */
        bindAddress: z.string().min(1).default('0.0.0.0'),
        /** RTP port range: one even RTP port and the odd RTCP port above it per call (RFC 3550 §11). */
        rtpPortMin: z.number().int().min(1024).max(65534).default(16384),
        rtpPortMax: z.number().int().min(1025).max(65535).default(32767),
        /** The same key by two DTMF methods (RFC 4733, INFO, in-band) within this window is one press. */
        dtmfCrossMethodWindowMs: z.number().int().min(0).max(5000).default(400),
        /**
         * RTP socket I/O (docs/media.md): `native` the rtp-io addon (batched sendmmsg/recvmmsg, about
         * twice the calls per core), `dgram` Node's sockets, `auto` native when built, else dgram with a warning.
         */
        rtpIo: z.enum(['auto', 'native', 'dgram']).default('auto'),
      })
      .strict()
      .refine((m) => m.rtpPortMax > m.rtpPortMin + 1, {
        message: 'must leave room for at least one RTP/RTCP pair above media.rtpPortMin',
        path: ['rtpPortMax'],
      })
      .default({
        bindAddress: '0.0.0.0',
        rtpPortMin: 16384,
        rtpPortMax: 32767,
        dtmfCrossMethodWindowMs: 400,
        rtpIo: 'auto',
      }),
    /** How a stopping instance lets its calls end (docs/operations.md). */
    shutdown: z
      .object({
        /** After SIGTERM, live calls may go on this long before they are hung up (503 "shutting down"). */
        drainSeconds: z.number().int().min(0).max(86400).default(3600),
      })
      .strict()
      .default({ drainSeconds: 3600 }),
    log: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
      .strict()
      .default({ level: 'info' }),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type McuConfig = z.infer<typeof mcuSchema>;
