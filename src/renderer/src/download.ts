/**
 * Saves text the console already holds as a file, through the browser's own download: a blob:
 * URL clicked in an `<a download>`. A download is not a fetch or a navigation, so the console's
 * Content-Security-Policy (`default-src 'self'`) does not stand in its way; in the desktop app,
 * Electron asks where to save it.
 */
export function saveText(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked at once, the URL can be gone before the browser has read the blob.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
