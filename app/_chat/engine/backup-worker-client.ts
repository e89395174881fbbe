// Seals and opens backups in a Web Worker (Argon2id blocks for over a second), one worker started
// on first use. The engine takes any BackupWorker, so tests give one that runs in-process.
import { ChatEngineError } from "./chat-engine-error";
import type { BackupWorkerRequest, BackupWorkerResponse, BackupWorkerSecret } from "./backup.worker";

export interface BackupWorker {
  /** @throws ChatEngineError chat_backup_wrong_key when opening with the wrong secret, else chat_backup_failed */
  run(op: "seal" | "open", bytes: Uint8Array, secret: BackupWorkerSecret): Promise<Uint8Array>;
  terminate(): void;
}

export class BackupWorkerClient implements BackupWorker {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, (response: BackupWorkerResponse) => void>();

  run(op: "seal" | "open", bytes: Uint8Array, secret: BackupWorkerSecret): Promise<Uint8Array> {
    if (!this.worker) {
      this.worker = new Worker(new URL("./backup.worker.ts", import.meta.url), { type: "module" });
      this.worker.onmessage = (event: MessageEvent<BackupWorkerResponse>) => {
        this.waiting.get(event.data.id)?.(event.data);
        this.waiting.delete(event.data.id);
      };
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (response) =>
        response.ok
          ? resolve(response.bytes)
          : reject(new ChatEngineError(response.code === "BackupWrongKey" ? "chat_backup_wrong_key" : "chat_backup_failed")),
      );
      const request: BackupWorkerRequest = { id, op, bytes, secret };
      this.worker!.postMessage(request);
    });
  }

  terminate(): void {
    this.worker?.terminate();
    this.worker = null;
  }
}
