// The files chosen for the next message (picked, dropped or pasted): at most
// MAX_ATTACHMENTS_PER_MESSAGE, each at most MAX_ATTACHMENT_SIZE. The engine refuses the same when
// sending; saying so as they are chosen spares preparing and storing them first.
import { MAX_ATTACHMENT_SIZE, MAX_ATTACHMENTS_PER_MESSAGE } from "@/app/_chat/engine/types";

export interface ChosenFile {
  /** Stable while the file is in the tray (two files may share a name). */
  key: string;
  file: File;
}

export interface ChoiceResult {
  chosen: ChosenFile[];
  /** Names of files left out for being larger than MAX_ATTACHMENT_SIZE. */
  tooLarge: string[];
  /** How many were left out because the message already carries MAX_ATTACHMENTS_PER_MESSAGE. */
  overCount: number;
}

export function addChosenFiles(current: readonly ChosenFile[], added: readonly File[], makeKey: () => string): ChoiceResult {
  const chosen = [...current];
  const tooLarge: string[] = [];
  let overCount = 0;
  for (const file of added) {
    if (file.size > MAX_ATTACHMENT_SIZE) tooLarge.push(file.name);
    else if (chosen.length >= MAX_ATTACHMENTS_PER_MESSAGE) overCount++;
    else chosen.push({ key: makeKey(), file });
  }
  return { chosen, tooLarge, overCount };
}

/** Whether a drag carries files (not text or a link dragged from the page). */
export function dragHasFiles(transfer: DataTransfer | null): boolean {
  return Boolean(transfer && Array.from(transfer.types).includes("Files"));
}

/** The images on the clipboard of a paste (a screenshot, a copied picture); text is left to the field. */
export function pastedImages(transfer: DataTransfer | null): File[] {
  return transfer ? Array.from(transfer.files).filter((file) => file.type.startsWith("image/")) : [];
}
