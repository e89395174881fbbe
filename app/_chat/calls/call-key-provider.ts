// The media keys of a call for LiveKit's E2EE worker: LiveKit's ExternalE2EEKeyProvider (one key
// shared by everyone, no ratcheting, wrong keys tolerated forever, so rotation is entirely ours)
// with keys at indexes. A key's generation (0 for the invite's) picks its slot in the worker's key
// ring; a new key goes in first without being used to send, so frames others already encrypt with
// it decode here, and becomes the sending key a moment later. The slot of the key before stays,
// for frames still in flight.
import { createKeyMaterialFromBuffer, ExternalE2EEKeyProvider, KeyProviderEvent, type KeyInfo } from "livekit-client";

/** LiveKit's default key ring: generation g lives in slot g mod this. */
export const KEY_RING_SIZE = 16;

export class CallKeyProvider extends ExternalE2EEKeyProvider {
  constructor() {
    super({ keyringSize: KEY_RING_SIZE });
  }

  /**
   * Puts a 32-byte key in its generation's slot; `sending`: also encrypt this device's media with it
   * from now on (else it only decrypts, until a later call with `sending`).
   */
  async setKeyAt(key: Uint8Array, generation: number, options: { sending: boolean }): Promise<void> {
    if (key.length !== 32) throw new Error("a call key has 32 bytes");
    const material = await createKeyMaterialFromBuffer(new Uint8Array(key).buffer);
    const slot = generation % KEY_RING_SIZE;
    if (options.sending) {
      this.onSetEncryptionKey(material, undefined, slot);
      return;
    }
    // LiveKit's own path always makes the key the sending one: tell its worker directly to keep the current one.
    const info: KeyInfo = { key: material, participantIdentity: undefined, keyIndex: slot };
    this.emit(KeyProviderEvent.SetKey, info, false);
  }
}
