"use client";
// Messages → Notifications, "When Hearth is closed": Web Push, off until the person turns it on
// for this device. Only then does the browser subscribe at its vendor's push service (a third
// party, which the text names and says what it sees); the server then wakes this device with a
// content-free notification, and withdrawing on the privacy dashboard deletes every device's.
import { useTranslations, useLocale } from "next-intl";
import { useCallback, useEffect, useState } from "react";
import { useChatCommands } from "@/app/_chat/engine/chat-engine-provider";
import { TRPCReactProvider, useTRPC } from "@/app/_shared/trpc/client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { isLocale } from "@/app/_shared/isomorphic/locales";
import { currentPushRegistration, pushSupported, subscribeThisBrowser, unsubscribeThisBrowser } from "./push-subscription";

type PushState = { kind: "checking" } | { kind: "unsupported" } | { kind: "off"; denied: boolean } | { kind: "on" } | { kind: "working" };

type PushProblem = "push_service_unreachable" | "push_refused" | "permission_denied" | "no_service_worker" | "server" | null;

export function PushSettings() {
  // Messages' frame leaves TanStack Query out (its pages run on the chat engine); this part brings it.
  return (
    <TRPCReactProvider>
      <PushSettingsWithQuery />
    </TRPCReactProvider>
  );
}

function PushSettingsWithQuery() {
  const t = useTranslations("chat.notifications.push");
  const locale = useLocale();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const commands = useChatCommands();
  const [state, setState] = useState<PushState>({ kind: "checking" });
  const [problem, setProblem] = useState<PushProblem>(null);
  const subscribe = useMutation(trpc.chat.push.subscribe.mutationOptions());
  const unsubscribe = useMutation(trpc.chat.push.unsubscribe.mutationOptions());

  const thisDevice = useCallback(async () => {
    const devices = await commands.devices();
    const current = devices.find((d) => d.current);
    if (!current) throw new Error("This browser has no chat device.");
    return current.rowId;
  }, [commands]);

  useEffect(() => {
    let live = true;
    (async (): Promise<PushState> => {
      if (!pushSupported()) return { kind: "unsupported" };
      const deviceRowId = await thisDevice();
      const { subscribed } = await queryClient.fetchQuery(trpc.chat.push.status.queryOptions({ deviceRowId }, { staleTime: 0 }));
      const registration = await currentPushRegistration();
      const browserHasOne = Boolean(await registration?.pushManager.getSubscription());
      return subscribed && browserHasOne ? { kind: "on" } : { kind: "off", denied: Notification.permission === "denied" };
    })().then(
      (next) => live && setState(next),
      () => live && setState({ kind: "off", denied: false }),
    );
    return () => {
      live = false;
    };
  }, [queryClient, trpc, thisDevice]);

  const turnOn = async () => {
    setProblem(null);
    setState({ kind: "working" });
    try {
      const permission = Notification.permission === "granted" ? "granted" : await Notification.requestPermission();
      if (permission !== "granted") {
        setProblem("permission_denied");
        setState({ kind: "off", denied: permission === "denied" });
        return;
      }
      const [{ publicKey }, deviceRowId] = await Promise.all([queryClient.fetchQuery(trpc.chat.push.publicKey.queryOptions()), thisDevice()]);
      const result = await subscribeThisBrowser(publicKey);
      if (result.kind !== "subscribed") {
        setProblem(result.kind);
        setState({ kind: "off", denied: false });
        return;
      }
      await subscribe.mutateAsync({ deviceRowId, ...result.subscription, locale: isLocale(locale) ? locale : "en" });
      await queryClient.invalidateQueries({ queryKey: trpc.privacy.pathKey() });
      setState({ kind: "on" });
    } catch {
      setProblem("server");
      setState({ kind: "off", denied: false });
    }
  };

  const turnOff = async () => {
    setProblem(null);
    setState({ kind: "working" });
    try {
      const deviceRowId = await thisDevice();
      await unsubscribe.mutateAsync({ deviceRowId });
      await unsubscribeThisBrowser();
      setState({ kind: "off", denied: false });
    } catch {
      setProblem("server");
      setState({ kind: "on" });
    }
  };

  return (
    <section className="chat-card" aria-labelledby="push-state" data-testid="push-settings">
      <h2 id="push-state">{t("title")}</h2>
      <p>{t("explain")}</p>
      <p className="muted">{t("whatTheServiceSees")}</p>
      {state.kind === "checking" ? (
        <p role="status">{t("checking")}</p>
      ) : state.kind === "unsupported" ? (
        <p role="status">{t("unsupported")}</p>
      ) : (
        <>
          <p role="status">{state.kind === "on" ? t("on") : state.kind === "working" ? t("working") : t("off")}</p>
          {state.kind === "off" && state.denied ? <p className="chat-warning">{t("denied")}</p> : null}
          {problem ? (
            <p role="alert" className="chat-warning">
              {t(`problem.${problem}`)}
            </p>
          ) : null}
          <div>
            {state.kind === "on" ? (
              <button type="button" className="button" onClick={() => void turnOff()}>
                {t("turnOff")}
              </button>
            ) : (
              <button
                type="button"
                className="button button-primary"
                onClick={() => void turnOn()}
                disabled={state.kind === "working" || (state.kind === "off" && state.denied)}
                aria-busy={state.kind === "working"}
              >
                {t("turnOn")}
              </button>
            )}
          </div>
        </>
      )}
      <p className="muted">{t("withdrawHint")}</p>
    </section>
  );
}
