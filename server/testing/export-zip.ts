// Reading a data export the way its recipient would: unzip it and check every JSON file against
// the schema the export ships (docs/export-schema.json). Shared by the Vitest and Playwright tests.
import { readFile } from "node:fs/promises";
import Ajv2020 from "ajv/dist/2020.js";
import yauzl from "yauzl";

export function readZip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const entries = new Map<string, Buffer>();
      zip.on("entry", (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err);
          const chunks: Buffer[] = [];
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("end", () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(entries));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

export interface ExportCheck {
  schema: { $defs: Record<string, unknown> };
  /** The JSON files in the ZIP besides schema.json. */
  jsonFiles: string[];
  /** Schema errors per file; empty arrays when valid. */
  errors: Record<string, unknown[]>;
}

/** Validates each JSON file of an unzipped export against its definition in the shipped schema. */
export async function checkExportAgainstSchema(files: Map<string, Buffer>): Promise<ExportCheck> {
  const schema = JSON.parse(await readFile("docs/export-schema.json", "utf8")) as ExportCheck["schema"];
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  ajv.addSchema(schema);
  const jsonFiles = [...files.keys()].filter((name) => name.endsWith(".json") && name !== "schema.json").sort();
  const errors: Record<string, unknown[]> = {};
  for (const name of jsonFiles) {
    const validate = ajv.getSchema(`hearth-data-export/1#/$defs/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`);
    if (!validate) {
      errors[name] = ["no definition in the schema"];
      continue;
    }
    validate(JSON.parse(files.get(name)!.toString()));
    errors[name] = [...(validate.errors ?? [])];
  }
  return { schema, jsonFiles, errors };
}
