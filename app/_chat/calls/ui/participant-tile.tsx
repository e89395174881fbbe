"use client";
// One person's tile in the call's grid: their video (or their picture), their name, and their
// sound. The tile carries what the tests and a curious person can check: whether LiveKit marks the
// media encrypted, whether it decrypts here, and how many video frames were decoded.
import type { LocalVideoTrack, RemoteAudioTrack, RemoteVideoTrack } from "livekit-client";
import { useTranslations } from "next-intl";
import { useEffect, useRef } from "react";
import type { CallKind } from "@/app/_chat/engine/types";
import { Avatar } from "@/app/_shared/ui/avatar";
import type { RemoteParticipantView } from "../call-controller";
import { CallIcon } from "./call-icons";

export function RemoteTile({ participant, kind }: { participant: RemoteParticipantView; kind: CallKind }) {
  const t = useTranslations("chat.calls");
  const { person, video, audio } = participant;
  const name = person ? person.displayName || `@${person.handle}` : participant.stranger ? t("stranger") : t("identifying");
  const showVideo = kind === "video" && video && !video.isMuted;
  const classes = ["call-tile", participant.speaking ? "is-speaking" : "", participant.undecryptable ? "is-undecryptable" : ""].filter(Boolean).join(" ");
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

function VideoView({ track, mirrored = false }: { track: RemoteVideoTrack | LocalVideoTrack; mirrored?: boolean }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    track.attach(element);
    return () => void track.detach(element);
  }, [track]);
  return <video ref={ref} className={mirrored ? "call-video is-mirrored" : "call-video"} autoPlay playsInline muted />;
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
