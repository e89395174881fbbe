// README.html of a data export: a readable overview of what is in the ZIP. Every value is
// escaped; the page loads nothing from anywhere.

export interface ExportFileSummary {
  name: string;
  description: string;
  count: number;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function renderExportReadme(options: { handle: string; generatedAt: Date; files: ExportFileSummary[] }): string {
  const rows = options.files
    .map((f) => `<tr><td><code>${escapeHtml(f.name)}</code></td><td>${escapeHtml(f.description)}</td><td>${f.count}</td></tr>`)
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Your Hearth data (@${escapeHtml(options.handle)})</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; color: #1f1a16; }
table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid #e3d9cf; padding: .4rem; text-align: left; vertical-align: top; }
</style>
</head>
<body>
<h1>Your Hearth data</h1>
<p>This is everything Hearth holds about <strong>@${escapeHtml(options.handle)}</strong>, as of ${escapeHtml(options.generatedAt.toISOString())}.
You asked for it under your right of access and to data portability (GDPR articles 15 and 20).</p>
<p>Each file is JSON, described by the JSON Schema in <code>schema.json</code> (look under <code>$defs</code> for the file's name).
Dates are in UTC. Your images are in <code>media/</code>, listed in <code>media.json</code>.</p>
<p>Your private messages are end-to-end encrypted: the server cannot read them, so they are not in this file.
Your devices add your message history to the download themselves, decrypted, when you use the chat.</p>
<table>
<thead><tr><th>File</th><th>What it holds</th><th>Entries</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`;
}
