/**
 * The address of a call's page. Always opened with a full page load (window.location.assign, a
 * plain link): only a document loaded at this address gets the camera, the microphone and a
 * connection to LiveKit (server/calls/call-route-headers.ts).
 */
export function callHref(room: string): string {
  return `/chat/call/${room}`;
}

/** A room name as calls make them: 128 random bits in 32 lowercase hex characters. */
export function isCallRoom(segment: string): boolean {
  return /^[0-9a-f]{32}$/.test(segment);
}
