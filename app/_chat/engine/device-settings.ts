// This device's chat settings (read receipts, typing indicators), kept in its chat storage and
// never sent: each device of a person decides for itself, as in Signal.
import type { ChatStorage } from "../storage";
import { KV } from "./records";
import { DEFAULT_CHAT_SETTINGS, type ChatSettings } from "./types";

export class DeviceSettings {
  private settings: ChatSettings = DEFAULT_CHAT_SETTINGS;

  constructor(
    private readonly storage: ChatStorage,
    private readonly publish: (settings: ChatSettings) => void,
  ) {}

  async load(): Promise<void> {
    const stored = await this.storage.getValue<Partial<ChatSettings>>(KV.settings);
    // Only the settings that still exist: an earlier version's `openOffline` is dropped.
    this.settings = {
      readReceipts: stored?.readReceipts ?? DEFAULT_CHAT_SETTINGS.readReceipts,
      typingIndicators: stored?.typingIndicators ?? DEFAULT_CHAT_SETTINGS.typingIndicators,
    };
    this.publish(this.settings);
  }

  get current(): ChatSettings {
    return this.settings;
  }

  async set(change: Partial<ChatSettings>): Promise<ChatSettings> {
    const next: ChatSettings = {
      readReceipts: change.readReceipts ?? this.settings.readReceipts,
      typingIndicators: change.typingIndicators ?? this.settings.typingIndicators,
    };
    await this.storage.setValue(KV.settings, next);
    this.settings = next;
    this.publish(next);
    return next;
  }
}
