"use client";
// /chat/call/<room>: the call open on this device. Loads the call from the chat engine (the room,
// its keys and who is who came only through the encrypted chat), then runs a CallController for
// it: the people in the call with their video and whether their media is encrypted and decrypts
// here, the "end-to-end encrypted" state, warnings for media that does not decrypt and for anyone
// the chat never introduced, and mute, camera, screen share, grid or speaker view, and hang-up.
import { useNow, useTranslations } from "next-intl";
import { useEffect, useState, useSyncExternalStore, type ReactNode } from "react";
import { chatErrorCode } from "@/app/_chat/engine/chat-engine-error";
import { useCalls, useChatCommands } from "@/app/_chat/engine/chat-engine-provider";
import type { CallView, ChatPerson } from "@/app/_chat/engine/types";
import { groupHref, conversationHref } from "@/app/_chat/handle-segment";
import { useChatErrorText } from "@/app/_chat/ui/use-chat-error-text";
import { TRPCReactProvider, useTRPCClient } from "@/app/_shared/trpc/client";
import { Icon } from "@/app/_shared/ui/icons";
import { CallController, type CallScreenState, type RemoteParticipantView } from "../call-controller";
import { formatCallDuration } from "../format-call-duration";
import { CallIcon } from "./call-icons";
import { LocalScreenTile, LocalTile, RemoteScreenTile, RemoteTile } from "./participant-tile";
import { useCallView, type CallViewMode } from "./use-call-view";
import "./calls.css";

export function CallScreen({ room }: { room: string }) {
  // Messages' frame leaves the tRPC provider out (its pages run on the chat engine); a call brings it.
  return (
    <TRPCReactProvider>
      <CallScreenInFrame room={room} />
    </TRPCReactProvider>
  );
}

function CallScreenInFrame({ room }: { room: string }) {
  const t = useTranslations("chat.calls");
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  const { open } = useCalls();
  const [openError, setOpenError] = useState<string | null>(null);
  useEffect(() => {
    commands.openCall(room).catch((error: unknown) => setOpenError(chatErrorCode(error)));
  }, [commands, room]);

  if (openError) {
    return (
      <CallMessage title={t("unknownTitle")} testId="call-unknown">
        <p className="muted">{errorText(openError)}</p>
        {/* A full page load, so that the next page does not keep this one's camera and microphone. */}
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- see above */}
        <a href="/chat" className="button button-quiet">
          {t("toConversations")}
        </a>
      </CallMessage>
    );
  }
  if (open?.room !== room) {
    return (
      <div className="call-screen call-screen-message" aria-busy="true">
        <span className="chat-spinner" aria-hidden="true" />
        <p role="status">{t("opening")}</p>
      </div>
    );
  }
  return <OpenCall call={open} />;
}

const noop = () => () => undefined;

function OpenCall({ call }: { call: CallView }) {
  const client = useTRPCClient();
  const commands = useChatCommands();
  const [controller, setController] = useState<CallController | null>(null);
  useEffect(() => {
    const created = new CallController({
      call,
      join: () => client.calls.join.mutate({ room: call.room, kind: call.kind, maxParticipants: call.maxParticipants }),
      signals: commands,
    });
    // Started on the next task: React's development double mount disposes the first one before it joins.
    const starting = setTimeout(() => {
      setController(created);
      void created.start();
    }, 0);
    return () => {
      clearTimeout(starting);
      created.dispose();
    };
    // One controller per call; later views of it go through `update` below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [call.callId, client, commands]);
  useEffect(() => controller?.update(call), [controller, call]);
  const state = useSyncExternalStore(
    controller?.subscribe ?? noop,
    () => controller?.getSnapshot() ?? null,
    () => null,
  );
  if (!controller || !state) return null;
  return <CallLayout call={call} state={state} controller={controller} />;
}

function CallLayout({ call, state, controller }: { call: CallView; state: CallScreenState; controller: CallController }) {
  const t = useTranslations("chat.calls");
  const title = call.group ? call.group.name : nameOf(call.peer, t("someone"));
  const backHref = call.group ? groupHref(call.group.id) : call.peer?.handle ? conversationHref(call.peer.handle) : "/chat";

  if (state.phase === "ended" || state.phase === "failed") {
    return <CallOver call={call} state={state} title={title} backHref={backHref} />;
  }
  return <ActiveCall call={call} state={state} controller={controller} title={title} />;
}

function ActiveCall({ call, state, controller, title }: { call: CallView; state: CallScreenState; controller: CallController; title: string }) {
  const t = useTranslations("chat.calls");
  const [view, setView] = useCallView();
  const strangers = state.participants.filter((p) => p.stranger);
  const undecryptable = state.participants.filter((p) => p.undecryptable);
  return (
    <div
      className="call-screen"
      data-testid="call-screen"
      data-phase={state.phase}
      data-kind={call.kind}
      data-key-generation={state.keyGeneration}
      data-view={view}
    >
      <header className="call-header">
        <div className="call-header-text">
          <h1>{title}</h1>
          <p className="call-status" role="status" data-testid="call-status">
            <CallStatus call={call} state={state} />
          </p>
        </div>
        <EncryptionBadge encrypted={state.encrypted} />
      </header>

      {state.encryptionFailed ? <CallWarning testId="call-encryption-failed">{t("encryptionFailed")}</CallWarning> : null}
      {undecryptable.length ? (
        <CallWarning testId="call-undecryptable">
          {undecryptable.every((p) => p.person)
            ? t("undecryptable", { names: undecryptable.map((p) => nameOf(p.person, t("someone"))).join(", "), count: undecryptable.length })
            : t("undecryptableStranger")}
        </CallWarning>
      ) : null}
      {strangers.length ? <CallWarning testId="call-stranger">{t("strangerWarning", { count: strangers.length })}</CallWarning> : null}
      {state.error ? <CallError code={state.error} /> : null}

      <ViewToggle view={view} onChange={setView} />
      <CallTiles call={call} state={state} view={view} />

      <ParticipantList participants={state.participants} encrypted={state.encrypted} />
      <DevicePickers state={state} controller={controller} />

      <div className="call-controls" role="toolbar" aria-label={t("controlsLabel")}>
        {state.audioBlocked ? (
          <button type="button" className="button" onClick={() => void controller.startAudio()}>
            <CallIcon name="speaker" />
            {t("startAudio")}
          </button>
        ) : null}
        <button
          type="button"
          className="call-control"
          aria-pressed={!state.microphone}
          aria-label={t("mute")}
          title={state.microphone ? t("mute") : t("unmute")}
          onClick={() => void controller.setMicrophone(!state.microphone)}
          data-testid="call-mute"
        >
          <CallIcon name={state.microphone ? "mic" : "micOff"} />
        </button>
        {call.kind === "video" ? (
          <button
            type="button"
            className="call-control"
            aria-pressed={!state.camera}
            aria-label={t("cameraOff")}
            title={state.camera ? t("cameraOff") : t("cameraOn")}
            onClick={() => void controller.setCamera(!state.camera)}
            data-testid="call-camera"
          >
            <CallIcon name={state.camera ? "video" : "videoOff"} />
          </button>
        ) : null}
        {call.kind === "video" ? (
          <button
            type="button"
            className="call-control"
            aria-pressed={!!state.localScreen}
            aria-label={t("shareScreen")}
            title={state.localScreen ? t("stopSharing") : t("shareScreen")}
            onClick={() => void controller.setScreenShare(!state.localScreen)}
            data-testid="call-screen-share-button"
          >
            <CallIcon name="screenShare" />
          </button>
        ) : null}
        <button type="button" className="call-control call-hang-up" aria-label={t("hangUp")} title={t("hangUp")} onClick={() => void controller.hangUp()}>
          <CallIcon name="hangUp" />
        </button>
      </div>
    </div>
  );
}

/**
 * The tiles: everyone's camera, and each shared screen in a tile of its own. The speaker view puts
 * one large (a shared screen first, else who spoke last) above a strip of the others.
 */
function CallTiles({ call, state, view }: { call: CallView; state: CallScreenState; view: CallViewMode }) {
  const t = useTranslations("chat.calls");
  const sharing = state.participants.find((p) => p.screen);
  const featuredKey = view === "grid" ? null : sharing ? `screen:${sharing.participantId}` : state.featured ? `camera:${state.featured}` : null;
  const tiles: { key: string; tile: ReactNode }[] = [];
  for (const participant of state.participants) {
    if (participant.screen) {
      const key = `screen:${participant.participantId}`;
      tiles.push({ key, tile: <RemoteScreenTile key={key} participant={participant} screen={participant.screen} featured={key === featuredKey} /> });
    }
    const key = `camera:${participant.participantId}`;
    tiles.push({ key, tile: <RemoteTile key={key} participant={participant} kind={call.kind} featured={key === featuredKey} /> });
  }
  if (state.localScreen) tiles.push({ key: "screen:local", tile: <LocalScreenTile key="screen:local" track={state.localScreen} /> });
  tiles.push({
    key: "camera:local",
    tile: <LocalTile key="camera:local" track={state.localVideo} camera={state.camera} microphone={state.microphone} kind={call.kind} />,
  });
  // The large one comes first, for the eye and for the reading order alike.
  const ordered = [...tiles.filter((tile) => tile.key === featuredKey), ...tiles.filter((tile) => tile.key !== featuredKey)];
  return (
    <ul className="call-grid" aria-label={t("tilesLabel")} data-count={tiles.length} data-view={view}>
      {ordered.map(({ tile }) => tile)}
    </ul>
  );
}

/** Grid or speaker view: two toggle buttons, reached and pressed with the keyboard like any button. */
function ViewToggle({ view, onChange }: { view: CallViewMode; onChange: (view: CallViewMode) => void }) {
  const t = useTranslations("chat.calls");
  const option = (mode: CallViewMode, label: string, icon: "grid" | "spotlight") => (
    <button type="button" className="call-view-option" aria-pressed={view === mode} onClick={() => onChange(mode)} data-testid={`call-view-${mode}`}>
      <CallIcon name={icon} />
      {label}
    </button>
  );
  return (
    <div className="call-view-toggle" role="group" aria-label={t("viewLabel")}>
      {option("grid", t("viewGrid"), "grid")}
      {option("speaker", t("viewSpeaker"), "spotlight")}
    </div>
  );
}

function CallStatus({ call, state }: { call: CallView; state: CallScreenState }) {
  const t = useTranslations("chat.calls");
  switch (state.phase) {
    case "joining":
      return t("joining");
    case "reconnecting":
      return t("reconnecting");
    case "waiting":
      return call.group ? t("waitingForOthers") : call.outgoing ? t("calling") : t("connecting");
    default:
      return state.connectedAt === null ? t("connecting") : <CallTimer since={state.connectedAt} />;
  }
}

function CallTimer({ since }: { since: number }) {
  const now = useNow({ updateInterval: 1_000 });
  return <span data-testid="call-timer">{formatCallDuration(now.getTime() - since)}</span>;
}

function EncryptionBadge({ encrypted }: { encrypted: boolean }) {
  const t = useTranslations("chat.calls");
  return (
    <p className={encrypted ? "call-badge is-encrypted" : "call-badge"} data-testid="call-encryption" data-encrypted={encrypted} title={t("encryptedExplain")}>
      <Icon name="lock" />
      {encrypted ? t("encrypted") : t("encrypting")}
    </p>
  );
}

/** Everyone in the call, this device first, with whether their media is encrypted and decrypts here. */
function ParticipantList({ participants, encrypted }: { participants: readonly RemoteParticipantView[]; encrypted: boolean }) {
  const t = useTranslations("chat.calls");
  return (
    <section className="call-people" aria-labelledby="call-people-title">
      <h2 id="call-people-title">{t("participants", { count: participants.length + 1 })}</h2>
      <ul>
        <li data-testid="call-person" data-me="true">
          <span className="call-person-name">{t("you")}</span>
          <span className={encrypted ? "call-person-state is-ok" : "call-person-state"}>{encrypted ? t("stateEncrypted") : t("encrypting")}</span>
        </li>
        {participants.map((p) => (
          <li
            key={p.participantId}
            data-testid="call-person"
            data-participant-id={p.participantId}
            data-encrypted={p.encrypted}
            data-undecryptable={p.undecryptable}
          >
            <span className="call-person-name">{p.person ? nameOf(p.person, t("someone")) : p.stranger ? t("stranger") : t("identifying")}</span>
            <span className={p.undecryptable ? "call-person-state is-bad" : p.encrypted ? "call-person-state is-ok" : "call-person-state"}>
              {p.undecryptable ? t("stateUndecryptable") : p.encrypted ? t("stateEncrypted") : t("stateNotEncrypted")}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Which microphone and camera this device sends from. */
function DevicePickers({ state, controller }: { state: CallScreenState; controller: CallController }) {
  const t = useTranslations("chat.calls");
  const picker = (kind: "audioinput" | "videoinput", label: string) => {
    const choices = state.devices[kind];
    if (!choices.length) return null;
    const active = state.activeDevices[kind];
    return (
      <label className="call-device">
        <span>{label}</span>
        <select value={active ?? ""} onChange={(event) => void controller.switchDevice(kind, event.target.value)} data-testid={`call-device-${kind}`}>
          {active && !choices.some((c) => c.deviceId === active) ? <option value={active}>{t("deviceDefault")}</option> : null}
          {active ? null : <option value="">{t("deviceDefault")}</option>}
          {choices.map((choice) => (
            <option key={choice.deviceId} value={choice.deviceId}>
              {choice.label}
            </option>
          ))}
        </select>
      </label>
    );
  };
  return (
    <div className="call-devices">
      {picker("audioinput", t("microphone"))}
      {picker("videoinput", t("camera"))}
    </div>
  );
}

function CallOver({ call, state, title, backHref }: { call: CallView; state: CallScreenState; title: string; backHref: string }) {
  const t = useTranslations("chat.calls");
  const peer = nameOf(call.peer, t("someone"));
  const reason =
    state.phase === "failed"
      ? null
      : state.ending === "declined"
        ? t("endedDeclined", { name: peer })
        : state.ending === "no-answer"
          ? t("endedNoAnswer")
          : state.ending === "peer-left"
            ? t("endedPeerLeft", { name: peer })
            : state.ending === "connection-lost"
              ? t("endedConnectionLost")
              : null;
  return (
    <CallMessage title={state.phase === "failed" ? t("failedTitle") : t("endedTitle")} testId="call-over" subtitle={title}>
      {state.error ? <CallError code={state.error} /> : null}
      {reason ? <p>{reason}</p> : null}
      {state.durationMs !== null ? (
        <p data-testid="call-duration" data-duration-ms={state.durationMs}>
          {t("duration", { duration: formatCallDuration(state.durationMs) })}
        </p>
      ) : null}
      {/* A full page load: the conversation's page must not keep this one's camera and microphone. */}
      <a href={backHref} className="button button-primary">
        {t("backToConversation")}
      </a>
    </CallMessage>
  );
}

function CallMessage({ title, subtitle, testId, children }: { title: string; subtitle?: string; testId: string; children: ReactNode }) {
  return (
    <div className="call-screen call-screen-message" data-testid={testId}>
      {subtitle ? <p className="muted">{subtitle}</p> : null}
      <h1>{title}</h1>
      {children}
    </div>
  );
}

function CallWarning({ testId, children }: { testId: string; children: ReactNode }) {
  return (
    <div className="chat-notice chat-notice-warning call-warning" role="alert" data-testid={testId}>
      <Icon name="warning" />
      <p>{children}</p>
    </div>
  );
}

function CallError({ code }: { code: string }) {
  const errorText = useChatErrorText();
  return <CallWarning testId="call-error">{errorText(code)}</CallWarning>;
}

function nameOf(person: ChatPerson | null, fallback: string): string {
  if (!person) return fallback;
  return person.displayName || (person.handle ? `@${person.handle}` : fallback);
}
