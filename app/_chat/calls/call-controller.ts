// One call on this page: joins the LiveKit room (a token from calls.join), with every media frame
// encrypted end to end by LiveKit's E2EE worker under the call's keys, which only the encrypted
// chat carries (calls in the chat engine). It publishes the microphone (and camera), follows each
// remote participant's tracks, whether their media is marked encrypted and whether it decrypts
// here (frames decoded, LiveKit's decryption errors), switches keys when a new one comes, and after
// someone leaves a group call asks for a new key when this device has the lowest participant id
// among those who stay. It shares this device's screen on request, as one more encrypted track,
// and names who spoke last for the speaker view. Who a participant is comes from the chat only: one
// LiveKit cannot name (nobody introduced it through the chat) is shown as such.
//
// No React here: the screen subscribes to its immutable state.
import {
  isE2EESupported,
  Room,
  RoomEvent,
  Track,
  VideoPresets,
  type LocalVideoTrack,
  type Participant,
  type RemoteAudioTrack,
  type RemoteParticipant,
  type RemoteVideoTrack,
} from "livekit-client";
import { serverErrorOf } from "../engine/api-errors";
import type { CallView, ChatEngineCommands, ChatPerson } from "../engine/types";
import { CallKeyProvider } from "./call-key-provider";
import { createE2EEWorker } from "./e2ee-worker";

export type CallPhase = "joining" | "waiting" | "connected" | "reconnecting" | "ended" | "failed";

/** Why the call ended on this page. */
export type CallEnding = "hung-up" | "peer-left" | "ended-by-peer" | "declined" | "no-answer" | "connection-lost";

export interface RemoteParticipantView {
  participantId: string;
  /** Who the encrypted chat says this is; null when nobody introduced it (yet). */
  person: ChatPerson | null;
  /** Unnamed for longer than an introduction takes: someone the chat never invited. */
  stranger: boolean;
  /** LiveKit says its tracks are encrypted. */
  encrypted: boolean;
  /** Its media does not decrypt here (wrong or missing key). */
  undecryptable: boolean;
  /** Video frames decoded here so far (null without video). */
  framesDecoded: number | null;
  video: RemoteVideoTrack | null;
  audio: RemoteAudioTrack | null;
  /** The screen they share, encrypted like the rest; null when they share none. */
  screen: RemoteVideoTrack | null;
  /** LiveKit marks their shared screen encrypted. */
  screenEncrypted: boolean;
  /** Frames of their shared screen decoded here so far (null without one). */
  screenFramesDecoded: number | null;
  microphoneOn: boolean;
  speaking: boolean;
}

/** A camera or microphone the browser offers. */
export interface MediaDeviceChoice {
  deviceId: string;
  label: string;
}

export interface CallScreenState {
  phase: CallPhase;
  ending: CallEnding | null;
  /** Why joining failed, or what went wrong since: a key under "chat.errors". */
  error: string | null;
  /** This device's media goes out encrypted. */
  encrypted: boolean;
  /** The E2EE worker itself failed on this device. */
  encryptionFailed: boolean;
  microphone: boolean;
  camera: boolean;
  /** The browser holds back sound until a click (autoplay rules). */
  audioBlocked: boolean;
  localVideo: LocalVideoTrack | null;
  /** This device shares its screen: the track it sends. */
  localScreen: LocalVideoTrack | null;
  /** The participant shown large in the speaker view: the last one who spoke, else the first. */
  featured: string | null;
  /** The microphones and cameras to choose from, and the ones in use (null: the browser's default). */
  devices: { audioinput: readonly MediaDeviceChoice[]; videoinput: readonly MediaDeviceChoice[] };
  activeDevices: { audioinput: string | null; videoinput: string | null };
  participants: readonly RemoteParticipantView[];
  /** The generation of the key this device sends with. */
  keyGeneration: number;
  /** When someone the chat named was first here with us (the call's length runs from then). */
  connectedAt: number | null;
  durationMs: number | null;
}

export interface CallControllerOptions {
  call: CallView;
  /** calls.join for this call's room. */
  join(): Promise<{ url: string; token: string; participantId: string }>;
  signals: Pick<ChatEngineCommands, "callJoined" | "rotateCallKey" | "endCall">;
  createWorker?: () => Worker;
  now?: () => number;
  delays?: Partial<CallDelays>;
}

interface CallDelays {
  /** A new key is used to send this long after it arrived (the others have it by then). */
  switchKeyMs: number;
  /** Older keys still decrypt this long after a new one is sent with (frames in flight), then are wiped. */
  retireKeyMs: number;
  statsMs: number;
  /** The caller hangs up when nobody has come after this long. */
  noAnswerMs: number;
  /** 1:1: the other person's page may come back (a reload) within this long before the call ends. */
  peerGoneMs: number;
  /** A participant unnamed for this long is a stranger. */
  unnamedMs: number;
  /** An audio-only participant's decryption warning stays this long after its last error. */
  audioErrorMs: number;
}

const DELAYS: CallDelays = {
  switchKeyMs: 2_000,
  retireKeyMs: 10_000,
  statsMs: 1_000,
  noAnswerMs: 45_000,
  peerGoneMs: 8_000,
  unnamedMs: 10_000,
  audioErrorMs: 60_000,
};
/** Frames decoded after an error clear the warning only once no error came for this long. */
const ERROR_QUIET_MS = 3_000;

const INITIAL: CallScreenState = {
  phase: "joining",
  ending: null,
  error: null,
  encrypted: false,
  encryptionFailed: false,
  microphone: false,
  camera: false,
  audioBlocked: false,
  localVideo: null,
  localScreen: null,
  featured: null,
  devices: { audioinput: [], videoinput: [] },
  activeDevices: { audioinput: null, videoinput: null },
  participants: [],
  keyGeneration: 0,
  connectedAt: null,
  durationMs: null,
};

export class CallController {
  private state: CallScreenState = INITIAL;
  private readonly listeners = new Set<() => void>();
  private call: CallView;
  private room: Room | null = null;
  private readonly keys = new CallKeyProvider();
  /** Generations put in the worker's ring, and the one sent with. */
  private readonly installed = new Set<number>();
  private sendingGeneration = -1;
  private participantId: string | null = null;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private peerGoneTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly firstSeen = new Map<string, number>();
  private readonly frames = new Map<string, number>();
  private readonly screenFrames = new Map<string, number>();
  /** Who spoke last (LiveKit's active speakers), kept while they are quiet. */
  private lastSpeaker: string | null = null;
  private readonly errors = new Map<string, { at: number; frames: number | null }>();
  private disposed = false;
  private readonly delays: CallDelays;
  private readonly now: () => number;

  constructor(private readonly options: CallControllerOptions) {
    this.call = options.call;
    this.delays = { ...DELAYS, ...options.delays };
    this.now = options.now ?? (() => Date.now());
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): CallScreenState => this.state;

  /** Joins the room and starts sending. Failures show as phase "failed" with their reason. */
  async start(): Promise<void> {
    if (!isE2EESupported()) return this.fail("chat_call_e2ee_unsupported");
    let joined: { url: string; token: string; participantId: string };
    try {
      joined = await this.options.join();
    } catch (error) {
      return this.fail(joinErrorCode(error));
    }
    if (this.disposed) return;
    // The keys go in before connecting, so not one frame leaves unencrypted or undecryptable.
    for (const key of this.call.keys) await this.install(key.index, key.key, true);
    const room = new Room({
      encryption: { keyProvider: this.keys, worker: (this.options.createWorker ?? createE2EEWorker)() },
      // Video keeps flowing whatever the tile's size: what decodes is what the screen reports.
      adaptiveStream: false,
      dynacast: true,
      disconnectOnPageLeave: true,
      // 960×540 at most: a call's grid needs no more, and every device encodes and decodes every stream.
      videoCaptureDefaults: { resolution: VideoPresets.h540.resolution },
    });
    this.room = room;
    this.listen(room);
    try {
      await room.setE2EEEnabled(true);
      // No STUN or TURN server from anywhere: LiveKit's own addresses are all a call needs.
      await room.connect(joined.url, joined.token, { rtcConfig: { iceServers: [] } });
    } catch {
      if (!this.disposed) this.fail("chat_calls_unavailable");
      return;
    }
    if (this.disposed) return void room.disconnect();
    this.participantId = joined.participantId;
    this.set({ phase: "waiting" });
    // Rings the others (or tells them who we are) as soon as we are in the room.
    await this.options.signals.callJoined(this.call.callId, joined.participantId).catch(() => this.set({ error: "chat_call_signal_failed" }));
    try {
      if (this.call.kind === "video") await room.localParticipant.enableCameraAndMicrophone();
      else await room.localParticipant.setMicrophoneEnabled(true);
    } catch {
      this.set({ error: "chat_call_no_media" });
    }
    this.statsTimer = setInterval(() => void this.readStats(), this.delays.statsMs);
    // Nobody came (the callee did not answer, or the caller had gone by the time we joined).
    this.later(this.delays.noAnswerMs, () => {
      if (this.state.connectedAt === null && this.state.phase !== "ended") void this.hangUp("no-answer");
    });
    void this.readDevices();
    this.refresh();
    this.update(this.call);
  }

  /** The chat engine's view of the call changed: new keys, people named, or the other side ended it. */
  update(call: CallView): void {
    this.call = call;
    if (this.disposed || this.state.phase === "ended" || this.state.phase === "failed") return;
    if (call.state === "declined") return this.finish("declined", null);
    if (call.state === "ended" || call.state === "missed") return this.finish("ended-by-peer", call.durationMs);
    if (this.room) {
      const newest = call.keys.at(-1);
      if (newest && newest.index > this.sendingGeneration && !this.installed.has(newest.index)) void this.takeNewKey(newest.index, newest.key);
    }
    this.refresh();
  }

  async setMicrophone(on: boolean): Promise<void> {
    await this.room?.localParticipant.setMicrophoneEnabled(on).catch(() => this.set({ error: "chat_call_no_media" }));
    this.refresh();
  }

  async setCamera(on: boolean): Promise<void> {
    await this.room?.localParticipant.setCameraEnabled(on).catch(() => this.set({ error: "chat_call_no_media" }));
    this.refresh();
  }

  /** Shares this device's screen (the browser asks which), or stops sharing it. Declining the browser's prompt is no error. */
  async setScreenShare(on: boolean): Promise<void> {
    await this.room?.localParticipant.setScreenShareEnabled(on, { audio: false }).catch((error: unknown) => {
      if (!(error instanceof Error && error.name === "NotAllowedError")) this.set({ error: "chat_call_no_screen_share" });
    });
    this.refresh();
  }

  /** Sends from another microphone or camera. */
  async switchDevice(kind: "audioinput" | "videoinput", deviceId: string): Promise<void> {
    const switched = await this.room?.switchActiveDevice(kind, deviceId).catch(() => false);
    if (switched === false) this.set({ error: "chat_call_no_media" });
    await this.readDevices();
  }

  /** After a click: lets the browser play the others' sound. */
  async startAudio(): Promise<void> {
    await this.room?.startAudio();
    this.refresh();
  }

  /** Leaves the call and tells the others (1:1: it ends for both; group: for this device). */
  async hangUp(ending: CallEnding = "hung-up"): Promise<void> {
    if (this.state.phase === "ended") return;
    const durationMs = this.state.connectedAt === null ? null : this.now() - this.state.connectedAt;
    const lastOne = !this.knownRemotes().length;
    this.finish(ending, durationMs);
    await this.options.signals.endCall(this.call.callId, { durationMs, lastOne }).catch(() => undefined);
  }

  /** The page goes away: leaves the room without ending the call (a reload joins again). */
  dispose(): void {
    this.disposed = true;
    this.stopTimers();
    void this.room?.disconnect();
    this.listeners.clear();
  }

  // Keys

  private async install(generation: number, key: Uint8Array, sending: boolean): Promise<void> {
    await this.keys.setKeyAt(key, generation, { sending });
    this.installed.add(generation);
    if (sending && generation > this.sendingGeneration) {
      this.sendingGeneration = generation;
      this.set({ keyGeneration: generation });
      // Someone who left still holds the older keys: once frames in flight have passed, their slots
      // get random keys, so media sent with an old key no longer decrypts here.
      this.later(this.delays.retireKeyMs, () => void this.retireBefore(generation));
    }
  }

  private async retireBefore(generation: number): Promise<void> {
    for (const old of [...this.installed].filter((g) => g < generation)) {
      await this.keys.setKeyAt(crypto.getRandomValues(new Uint8Array(32)), old, { sending: false });
      this.installed.delete(old);
    }
  }

  /** Decrypts with the new key at once; sends with it a moment later, once the others hold it too. */
  private async takeNewKey(generation: number, key: Uint8Array): Promise<void> {
    await this.install(generation, key, false);
    this.later(this.delays.switchKeyMs, () => {
      const newest = this.call.keys.at(-1);
      if (newest?.index === generation && generation > this.sendingGeneration) void this.install(generation, newest.key, true);
    });
  }

  /** Someone the chat named left a group call: the lowest participant id among those who stay makes the next key. */
  private maybeRotate(leftId: string): void {
    if (!this.call.group || !this.participantId) return;
    const staying = [this.participantId, ...this.knownRemotes().map((p) => p.identity)].sort();
    if (staying[0] === this.participantId) void this.options.signals.rotateCallKey(this.call.callId, [leftId]).catch(() => undefined);
  }

  // The room

  private listen(room: Room): void {
    const refresh = () => this.refresh();
    room
      .on(RoomEvent.ParticipantConnected, (participant) => {
        this.firstSeen.set(participant.identity, this.now());
        if (this.peerGoneTimer && this.call.participants[participant.identity]) this.clearPeerGone();
        this.refresh();
        // A stranger is named as such once an introduction would have come.
        this.later(this.delays.unnamedMs + 50, refresh);
      })
      .on(RoomEvent.ParticipantDisconnected, (participant) => this.onParticipantLeft(participant))
      .on(RoomEvent.TrackSubscribed, refresh)
      .on(RoomEvent.TrackUnsubscribed, refresh)
      .on(RoomEvent.TrackMuted, refresh)
      .on(RoomEvent.TrackUnmuted, refresh)
      .on(RoomEvent.LocalTrackPublished, refresh)
      .on(RoomEvent.LocalTrackUnpublished, refresh)
      .on(RoomEvent.ActiveSpeakersChanged, (speakers: Participant[]) => {
        const remote = speakers.find((speaker) => speaker !== room.localParticipant);
        if (remote) this.lastSpeaker = remote.identity;
        this.refresh();
      })
      .on(RoomEvent.AudioPlaybackStatusChanged, refresh)
      .on(RoomEvent.MediaDevicesChanged, () => void this.readDevices())
      .on(RoomEvent.ActiveDeviceChanged, () => void this.readDevices())
      .on(RoomEvent.ParticipantEncryptionStatusChanged, (encrypted: boolean, participant?: Participant) => {
        if (participant === room.localParticipant) this.set({ encrypted });
        this.refresh();
      })
      .on(RoomEvent.EncryptionError, (_error: Error, participant?: Participant) => {
        // Never the error's text: it may name keys or frames. Which participant is all the screen needs.
        if (!participant || participant === room.localParticipant) {
          this.set({ encryptionFailed: true });
          return;
        }
        this.errors.set(participant.identity, { at: this.now(), frames: this.frames.get(participant.identity) ?? null });
        this.refresh();
      })
      .on(RoomEvent.Reconnecting, () => this.set({ phase: "reconnecting" }))
      .on(RoomEvent.SignalReconnecting, () => this.set({ phase: "reconnecting" }))
      .on(RoomEvent.Reconnected, () => {
        this.set({ phase: "waiting" });
        this.refresh();
      })
      .on(RoomEvent.Disconnected, () => {
        if (!this.disposed && this.state.phase !== "ended") void this.hangUp("connection-lost");
      });
  }

  private onParticipantLeft(participant: RemoteParticipant): void {
    const person = this.call.participants[participant.identity];
    this.firstSeen.delete(participant.identity);
    this.errors.delete(participant.identity);
    this.frames.delete(participant.identity);
    this.screenFrames.delete(participant.identity);
    if (this.lastSpeaker === participant.identity) this.lastSpeaker = null;
    this.refresh();
    if (!person) return;
    if (this.call.group) return this.maybeRotate(participant.identity);
    // 1:1: the other person's page may be reloading; their call ends ours if they hung up.
    if (!this.knownRemotes().length) {
      this.clearPeerGone();
      this.peerGoneTimer = setTimeout(() => {
        if (!this.knownRemotes().length) void this.hangUp("peer-left");
      }, this.delays.peerGoneMs);
    }
  }

  private clearPeerGone(): void {
    if (this.peerGoneTimer) clearTimeout(this.peerGoneTimer);
    this.peerGoneTimer = null;
  }

  /** Remote participants the chat named (not strangers, not ourselves on another device). */
  private knownRemotes(): RemoteParticipant[] {
    if (!this.room) return [];
    return [...this.room.remoteParticipants.values()].filter((p) => !!this.call.participants[p.identity]);
  }

  /** The browser's microphones and cameras (named once the page may use them), and which are in use. */
  private async readDevices(): Promise<void> {
    const room = this.room;
    if (!room || this.disposed) return;
    const list = async (kind: "audioinput" | "videoinput") =>
      (await Room.getLocalDevices(kind, false).catch(() => []))
        .filter((d) => d.deviceId)
        .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `${i + 1}` }));
    const [audioinput, videoinput] = await Promise.all([list("audioinput"), list("videoinput")]);
    this.set({
      devices: { audioinput, videoinput: this.call.kind === "video" ? videoinput : [] },
      activeDevices: { audioinput: room.getActiveDevice("audioinput") ?? null, videoinput: room.getActiveDevice("videoinput") ?? null },
    });
  }

  private async readStats(): Promise<void> {
    const room = this.room;
    if (!room || this.disposed) return;
    for (const participant of room.remoteParticipants.values()) {
      const video = participant.getTrackPublication(Track.Source.Camera)?.track as RemoteVideoTrack | undefined;
      const stats = video ? await video.getReceiverStats().catch(() => undefined) : undefined;
      if (stats) this.frames.set(participant.identity, stats.framesDecoded ?? 0);
      const screen = participant.getTrackPublication(Track.Source.ScreenShare)?.track as RemoteVideoTrack | undefined;
      const screenStats = screen ? await screen.getReceiverStats().catch(() => undefined) : undefined;
      if (screenStats) this.screenFrames.set(participant.identity, screenStats.framesDecoded ?? 0);
      else if (!screen) this.screenFrames.delete(participant.identity);
      const error = this.errors.get(participant.identity);
      if (!error) continue;
      const now = this.now();
      const decodingAgain = stats && error.frames !== null && (stats.framesDecoded ?? 0) > error.frames && now - error.at > ERROR_QUIET_MS;
      const audioOnlyQuiet = !video && now - error.at > this.delays.audioErrorMs;
      if (decodingAgain || audioOnlyQuiet) this.errors.delete(participant.identity);
      // Frames that decoded before the error do not count as decoding again.
      else if (error.frames === null && stats) this.errors.set(participant.identity, { ...error, frames: stats.framesDecoded ?? 0 });
    }
    this.refresh();
  }

  private refresh(): void {
    const room = this.room;
    if (!room || this.disposed) return;
    const now = this.now();
    const speaking = new Set(room.activeSpeakers.map((p) => p.identity));
    const participants: RemoteParticipantView[] = [...room.remoteParticipants.values()]
      .map((participant) => {
        const id = participant.identity;
        if (!this.firstSeen.has(id)) this.firstSeen.set(id, now);
        const person = this.call.participants[id] ?? null;
        const video = participant.getTrackPublication(Track.Source.Camera)?.track as RemoteVideoTrack | undefined;
        const audio = participant.getTrackPublication(Track.Source.Microphone)?.track as RemoteAudioTrack | undefined;
        const screenPublication = participant.getTrackPublication(Track.Source.ScreenShare);
        const screen = screenPublication?.track as RemoteVideoTrack | undefined;
        return {
          participantId: id,
          person,
          stranger: !person && now - this.firstSeen.get(id)! >= this.delays.unnamedMs,
          encrypted: participant.isEncrypted,
          undecryptable: this.errors.has(id),
          framesDecoded: video ? (this.frames.get(id) ?? 0) : null,
          video: video ?? null,
          audio: audio ?? null,
          screen: screen ?? null,
          screenEncrypted: !!screenPublication?.isEncrypted,
          screenFramesDecoded: screen ? (this.screenFrames.get(id) ?? 0) : null,
          microphoneOn: participant.isMicrophoneEnabled,
          speaking: speaking.has(id),
        };
      })
      .sort((a, b) => (a.person?.displayName ?? "\uffff").localeCompare(b.person?.displayName ?? "\uffff") || a.participantId.localeCompare(b.participantId));
    const someoneKnown = participants.some((p) => p.person && !this.isMe(p.person));
    const connectedAt = this.state.connectedAt ?? (someoneKnown ? now : null);
    const phase = this.state.phase === "waiting" || this.state.phase === "connected" ? (someoneKnown ? "connected" : "waiting") : this.state.phase;
    const local = room.localParticipant;
    const featured = participants.find((p) => p.participantId === this.lastSpeaker)?.participantId ?? participants[0]?.participantId ?? null;
    this.set({
      phase,
      participants,
      featured,
      connectedAt,
      microphone: local.isMicrophoneEnabled,
      camera: local.isCameraEnabled,
      localVideo: (local.getTrackPublication(Track.Source.Camera)?.videoTrack as LocalVideoTrack | undefined) ?? null,
      localScreen: (local.getTrackPublication(Track.Source.ScreenShare)?.videoTrack as LocalVideoTrack | undefined) ?? null,
      audioBlocked: !room.canPlaybackAudio,
      encrypted: this.state.encrypted || local.isEncrypted,
    });
  }

  private isMe(person: ChatPerson): boolean {
    return !!this.participantId && this.call.participants[this.participantId]?.userId === person.userId;
  }

  private finish(ending: CallEnding, durationMs: number | null): void {
    this.stopTimers();
    this.set({ phase: "ended", ending, durationMs, participants: [], localVideo: null, localScreen: null });
    void this.room?.disconnect();
  }

  private fail(error: string): void {
    this.stopTimers();
    this.set({ phase: "failed", error });
    void this.room?.disconnect();
  }

  private later(ms: number, work: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.disposed) work();
    }, ms);
    this.timers.add(timer);
  }

  private stopTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = null;
    this.clearPeerGone();
  }

  private set(change: Partial<CallScreenState>): void {
    const next = { ...this.state, ...change };
    if (Object.keys(change).every((key) => next[key as keyof CallScreenState] === this.state[key as keyof CallScreenState])) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}

/** What a failed calls.join means for the person. */
function joinErrorCode(error: unknown): string {
  const { appCode, code, network } = serverErrorOf(error);
  if (network) return "chat_offline";
  if (appCode === "NOT_CONFIGURED") return "chat_calls_not_configured";
  if (appCode === "RATE_LIMITED" || code === "TOO_MANY_REQUESTS") return "chat_calls_rate_limited";
  return "chat_calls_unavailable";
}
