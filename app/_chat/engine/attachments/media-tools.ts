// What preparing a file asks of the browser: decoding images and drawing them again as JPEG (which
// keeps no metadata: no place, camera or time), a video's first frame and length, an audio file's
// length. Passed in through the EngineEnvironment, so engine tests run with a fake of their own;
// the canvas path itself is the browser's (and the end-to-end tests').

export interface DecodedImage {
  /** Pixels, with the file's orientation already applied. */
  readonly width: number;
  readonly height: number;
  /** A JPEG of the picture scaled down (never up) so that its longest side is at most `maxSide`. */
  toJpeg(options: { maxSide: number; quality: number }): Promise<Blob>;
  /** Frees the decoded pixels. */
  close(): void;
}

export interface MediaTools {
  /** The image decoded, or null when this browser cannot decode it (HEIC outside Safari, a damaged file). */
  decodeImage(file: Blob): Promise<DecodedImage | null>;
  /** A video's first frame and length, or null when they cannot be read (best effort: for the thumbnail). */
  videoPreview(file: Blob): Promise<{ frame: DecodedImage; durationMs: number | null } | null>;
  /** How long an audio file plays, or null when unknown. */
  audioDurationMs(file: Blob): Promise<number | null>;
}
