// The delivery stream of one device: first what is pending after the client's Last-Event-ID, then
// each new envelope as the notify bus wakes us. Invariants: the bus subscription is in place
// before the first read, so an envelope committed between the read and the wait still wakes us;
// every event is `tracked` by its envelope id, so an SSE reconnection resumes after the last one.
//
// Ids are made by the server instance that stores an envelope (UUIDv7, time-ordered), and two
// sends can commit out of id order. Each read therefore starts LOOKBACK_MS before the newest id
// sent, and a resumed stream LOOKBACK_MS before the client's Last-Event-ID: an envelope with an
// older id may have committed after the one the client saw last (an instance killed mid-burst
// makes this likely). Within one stream, ids already sent are skipped; what a resumed stream sends
// again unacknowledged, the client opens as a duplicate, drops and acknowledges.
import "server-only";
import { tracked, TRPCError } from "@trpc/server";
import { person, type PersonActor } from "../../data/actor";
import { envelopeIdFloor, envelopeIdTime, listPendingEnvelopes, MAX_PENDING_PAGE, type EnvelopeView } from "../../data/chat/envelopes";
import { AppError } from "../../errors";
import { envelopeBus } from "../../data/realtime/notify-bus";
import { markDeliveryStream, STREAM_MARK_EVERY_MS } from "../../data/chat/push-subscriptions";
import { toBase64Url } from "@/app/_shared/isomorphic/base64url";

const LOOKBACK_MS = 10_000;
/** Re-read at least this often even without a wake-up (a NOTIFY lost with a dropped connection). */
const MAX_WAIT_MS = 25_000;
/**
 * Each wait is drawn from 80–100% of MAX_WAIT_MS, so that streams opened together (every client
 * reconnecting after a restart) do not all re-read in the same instant, again and again.
 */
const maxWaitMs = () => MAX_WAIT_MS * (0.8 + 0.2 * Math.random());

export interface StreamedEnvelope {
  id: string;
  payload: string;
  createdAt: Date;
  expiresAt: Date | null;
  /** The sealed franking tag, base64url; null when the sender sent no commitment. */
  franking: string | null;
}

export async function* streamEnvelopes(options: {
  userId: string;
  deviceRowId: string;
  lastEventId: string | null;
  signal: AbortSignal | undefined;
  now: () => Date;
}) {
  const actor = person(options.userId);
  const wakeups = envelopeBus().wakeups(options.deviceRowId);
  // While the stream is open the device is online: it gets no push wake-ups (push-wakeups.ts).
  let markedAt = 0;
  const markOpen = async () => {
    if (options.now().getTime() - markedAt < STREAM_MARK_EVERY_MS) return;
    markedAt = options.now().getTime();
    await markDeliveryStream({ deviceRowId: options.deviceRowId, purpose: "core.messaging", open: true, now: options.now() });
  };
  try {
    await wakeups.ready();
    await markOpen();
    const sent = new Set<string>();
    let newest = options.lastEventId;
    let after = newest && lookbackFrom(newest);
    while (!options.signal?.aborted) {
      for (;;) {
        const page = await readPage(actor, options.deviceRowId, after, options.now());
        for (const envelope of page) {
          if (sent.has(envelope.id)) continue;
          sent.add(envelope.id);
          if (!newest || envelope.id > newest) newest = envelope.id;
          yield tracked(envelope.id, toStreamed(envelope));
        }
        if (page.length < MAX_PENDING_PAGE) break;
        after = page.at(-1)!.id;
      }
      await wakeups.wait({ signal: options.signal, maxWaitMs: maxWaitMs() });
      await markOpen();
      if (newest) {
        after = lookbackFrom(newest);
        for (const id of sent) if (id <= after) sent.delete(id);
      }
    }
  } finally {
    wakeups.close();
    await markDeliveryStream({ deviceRowId: options.deviceRowId, purpose: "core.messaging", open: false }).catch(() => undefined);
  }
}

/** The id floor LOOKBACK_MS before an envelope id's time. */
const lookbackFrom = (id: string) => envelopeIdFloor(envelopeIdTime(id) - LOOKBACK_MS);

async function readPage(actor: PersonActor, deviceRowId: string, after: string | null, now: Date) {
  try {
    return await listPendingEnvelopes({ actor, purpose: "core.messaging", deviceRowId, after, now });
  } catch (error) {
    // Errors inside a running stream bypass the procedure's AppError mapping (the device was revoked).
    if (error instanceof AppError) throw new TRPCError({ code: error.trpcCode, message: error.message, cause: error });
    throw error;
  }
}

function toStreamed(envelope: EnvelopeView): StreamedEnvelope {
  return {
    id: envelope.id,
    payload: toBase64Url(envelope.payload),
    createdAt: envelope.createdAt,
    expiresAt: envelope.expiresAt,
    franking: envelope.franking ? toBase64Url(envelope.franking) : null,
  };
}
