/**
 * Saves text the console already holds as a file, through the browser's own download: a blob:
 * URL clicked in an `<a download>`. A download is not a fetch or a navigation, so the console's
 * Content-Security-Policy (`default-src 'self'`) does not stand in its way; in the desktop app,
 * Electron asks where to save it.
 */
export function saveText(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  follow(url, filename);
  // Revoked at once, the URL can be gone before the browser has read the blob.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Starts a download the server sends (an `/export` link with its one-use ticket) through the
 * browser's own download, so a large report streams to disk rather than through the page.
 */
export function startDownload(href: string): void {
  follow(href, '');
}

/** Clicks a hidden `<a download>`; an empty name lets the server's Content-Disposition name the file. */
function follow(href: string, filename: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
}
