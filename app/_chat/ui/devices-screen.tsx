"use client";
// /chat/devices: the browsers and devices that hold this person's chat keys, removing one, and
// linking a new one (this device shows a code; the new one types it; this one approves).
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { chatErrorCode } from "@/app/_chat/engine/chat-engine-error";
import { useChatCommands, useChatSnapshot } from "@/app/_chat/engine/chat-engine-provider";
import type { DeviceView } from "@/app/_chat/engine/types";
import { ConfirmDialog } from "@/app/_shared/ui/confirm-dialog";
import { FormAlert } from "@/app/_shared/ui/form-alert";
import { ChatPageHeader } from "./chat-page-header";
import { LinkOfferPanel } from "./link-offer-panel";
import { useChatErrorText } from "./use-chat-error-text";

export function DevicesScreen() {
  const t = useTranslations("chat");
  const format = useFormatter();
  const commands = useChatCommands();
  const errorText = useChatErrorText();
  const { link } = useChatSnapshot();
  const [devices, setDevices] = useState<DeviceView[] | { error: string } | null>(null);
  const [reload, setReload] = useState(0);
  const [removing, setRemoving] = useState<DeviceView | null>(null);
  const [removePending, setRemovePending] = useState(false);
  const [removeError, setRemoveError] = useState<string | null>(null);

  // A device just linked belongs in the list.
  const linkedName = link?.kind === "done" ? link.deviceName : null;
  useEffect(() => {
    let current = true;
    commands.devices().then(
      (list) => current && setDevices(list),
      (error: unknown) => current && setDevices({ error: chatErrorCode(error) }),
    );
    return () => {
      current = false;
    };
  }, [commands, reload, linkedName]);

  function remove() {
    if (!removing || removePending) return;
    setRemovePending(true);
    setRemoveError(null);
    commands.removeDevice(removing.rowId).then(
      () => {
        setRemovePending(false);
        setRemoving(null);
        setReload((n) => n + 1);
      },
      (error: unknown) => {
        setRemovePending(false);
        setRemoving(null);
        setRemoveError(chatErrorCode(error));
      },
    );
  }

  return (
    <>
      <ChatPageHeader title={t("devices.title")} back={{ href: "/chat", label: t("backToConversations") }} />
      <div className="chat-page-body">
        <p>{t("devices.intro")}</p>
        <FormAlert message={errorText(removeError)} />
        <section aria-labelledby="devices-list-title" className="chat-section">
          <h2 id="devices-list-title">{t("devices.listTitle")}</h2>
          {devices === null ? (
            <p className="muted" aria-busy="true">
              {t("loading")}
            </p>
          ) : "error" in devices ? (
            <div className="chat-inline-error" role="alert">
              <p>{errorText(devices.error)}</p>
              <button type="button" className="button button-quiet button-small" onClick={() => setReload((n) => n + 1)}>
                {t("tryAgain")}
              </button>
            </div>
          ) : (
            <ul className="chat-devices" data-testid="device-list">
              {devices.map((device) => (
                <li key={device.rowId} className="chat-device" data-testid="device" data-current={device.current}>
                  <div className="chat-device-text">
                    <p className="chat-device-name">
                      {device.name}
                      {device.current ? <span className="badge">{t("devices.thisBrowser")}</span> : null}
                    </p>
                    <p className="muted">{t("devices.added", { date: format.dateTime(new Date(device.addedAt), { dateStyle: "medium" }) })}</p>
                  </div>
                  {device.current ? null : (
                    <button type="button" className="button button-danger button-small" onClick={() => setRemoving(device)}>
                      {t("devices.remove")}
                      <span className="sr-only"> {device.name}</span>
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="devices-link-title" className="chat-section">
          <h2 id="devices-link-title">{t("devices.linkTitle")}</h2>
          <LinkOfferPanel />
        </section>
      </div>
      <ConfirmDialog
        open={removing !== null}
        title={t("devices.removeTitle", { name: removing?.name ?? "" })}
        confirmLabel={t("devices.removeConfirm")}
        pending={removePending}
        onCancel={() => setRemoving(null)}
        onConfirm={remove}
      >
        <p>{t("devices.removeBody")}</p>
      </ConfirmDialog>
    </>
  );
}
