import { describe, expect, it } from "vitest";
import { attachmentPhase, percentOf } from "./attachment-status";

describe("attachmentPhase", () => {
  it("shows moving files with a whole percentage", () => {
    expect(attachmentPhase({ status: "uploading", progress: 0.426, error: null })).toEqual({ kind: "uploading", percent: 42 });
    expect(attachmentPhase({ status: "downloading", progress: 0.63, error: null })).toEqual({ kind: "downloading", percent: 63 });
  });

  it("tells a cancelled upload from a failed one", () => {
    expect(attachmentPhase({ status: "upload-failed", progress: null, error: "chat_attachment_cancelled" })).toMatchObject({ cancelled: true });
    expect(attachmentPhase({ status: "upload-failed", progress: null, error: "chat_offline" })).toMatchObject({ cancelled: false, reason: "chat_offline" });
  });

  it("offers nothing to try for a file the server no longer has, and a download again after one was stopped", () => {
    expect(attachmentPhase({ status: "download-failed", progress: null, error: "chat_attachment_gone" })).toEqual({ kind: "gone" });
    expect(attachmentPhase({ status: "download-failed", progress: null, error: "chat_attachment_cancelled" })).toEqual({ kind: "remote" });
    expect(attachmentPhase({ status: "download-failed", progress: null, error: "chat_attachment_failed" })).toEqual({
      kind: "download-failed",
      reason: "chat_attachment_failed",
    });
  });

  it("knows files here and files on the server", () => {
    expect(attachmentPhase({ status: "downloaded", progress: null, error: null })).toEqual({ kind: "local" });
    expect(attachmentPhase({ status: "available", progress: null, error: null })).toEqual({ kind: "remote" });
  });
});

describe("percentOf", () => {
  it("says 0 before the first byte and never 100 before the engine says done", () => {
    expect(percentOf(null)).toBe(0);
    expect(percentOf(Number.NaN)).toBe(0);
    expect(percentOf(-0.2)).toBe(0);
    expect(percentOf(1)).toBe(99);
  });
});
