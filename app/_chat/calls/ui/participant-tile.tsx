"use client";
// One person's tile in the call's grid: their video (or their picture), their name, and their
// sound; a screen someone shares has a tile of its own. The tile carries what the tests and a
// curious person can check: whether LiveKit marks the media encrypted, whether it decrypts here,
// and how many video frames were decoded.
import type { LocalVideoTrack, RemoteAudioTrack, RemoteVideoTrack } from "livekit-client";
import { useTranslations } from "next-intl";
import { useEffect, useRef } from "react";
import type { CallKind } from "@/app/_chat/engine/types";
import { Avatar } from "@/app/_shared/ui/avatar";
import type { RemoteParticipantView } from "../call-controller";
import { CallIcon } from "./call-icons";

export function RemoteTile({ participant, kind, featured = false }: { participant: RemoteParticipantView; kind: CallKind; featured?: boolean }) {
  const t = useTranslations("chat.calls");
  const { person, video, audio } = participant;
  const name = person ? person.displayName || `@${person.handle}` : participant.stranger ? t("stranger") : t("identifying");
  const showVideo = kind === "video" && video && !video.isMuted;
  const classes = ["call-tile", participant.speaking ? "is-speaking" : "", participant.undecryptable ? "is-undecryptable" : "", featured ? "is-featured" : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <li
      className={classes}
      data-testid="call-tile"
      data-participant-id={participant.participantId}
      data-handle={person?.handle ?? ""}
      data-encrypted={participant.encrypted}
      data-undecryptable={participant.undecryptable}
      data-frames-decoded={participant.framesDecoded ?? ""}
      data-microphone={participant.microphoneOn}
      data-featured={featured}
    >
      {showVideo ? (
        <VideoView track={video} />
      ) : (
        <Avatar person={person ?? { handle: participant.participantId, displayName: "?", avatarUrl: null }} size="huge" />
      )}
      {audio ? <AudioView track={audio} /> : null}
      <span className="call-tile-name">
        {participant.microphoneOn ? null : <CallIcon name="micOff" />}
        {name}
      </span>
    </li>
  );
}

/** The screen a participant shares, encrypted like their camera. */
export function RemoteScreenTile({
  participant,
  screen,
  featured = false,
}: {
  participant: RemoteParticipantView;
  screen: RemoteVideoTrack;
  featured?: boolean;
}) {
  const t = useTranslations("chat.calls");
  const name = participant.person ? participant.person.displayName || `@${participant.person.handle}` : t("someone");
  return (
    <li
      className={featured ? "call-tile call-tile-screen is-featured" : "call-tile call-tile-screen"}
      data-testid="call-screen-share"
      data-participant-id={participant.participantId}
      data-encrypted={participant.screenEncrypted}
      data-frames-decoded={participant.screenFramesDecoded ?? ""}
      data-featured={featured}
    >
      <VideoView track={screen} fit="contain" />
      <span className="call-tile-name">{t("screenOf", { name })}</span>
    </li>
  );
}

/** What this device shares of its screen. */
export function LocalScreenTile({ track }: { track: LocalVideoTrack }) {
  const t = useTranslations("chat.calls");
  return (
    <li className="call-tile call-tile-screen call-tile-local" data-testid="call-screen-share-local">
      <VideoView track={track} fit="contain" />
      <span className="call-tile-name">{t("yourScreen")}</span>
    </li>
  );
}

export function LocalTile({ track, camera, microphone, kind }: { track: LocalVideoTrack | null; camera: boolean; microphone: boolean; kind: CallKind }) {
  const t = useTranslations("chat.calls");
  return (
    <li className="call-tile call-tile-local" data-testid="call-tile-local">
      {kind === "video" && camera && track ? <VideoView track={track} mirrored /> : <span className="call-tile-blank" aria-hidden="true" />}
      <span className="call-tile-name">
        {microphone ? null : <CallIcon name="micOff" />}
        {t("you")}
      </span>
    </li>
  );
}

function VideoView({ track, mirrored = false, fit = "cover" }: { track: RemoteVideoTrack | LocalVideoTrack; mirrored?: boolean; fit?: "cover" | "contain" }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    track.attach(element);
    return () => void track.detach(element);
  }, [track]);
  const classes = ["call-video", mirrored ? "is-mirrored" : "", fit === "contain" ? "is-contained" : ""].filter(Boolean).join(" ");
  return <video ref={ref} className={classes} autoPlay playsInline muted />;
}

function AudioView({ track }: { track: RemoteAudioTrack }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    track.attach(element);
    return () => void track.detach(element);
  }, [track]);
  return <audio ref={ref} autoPlay />;
}
