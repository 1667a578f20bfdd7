import type { Page } from '@playwright/test';

/**
 * Helpers the benchmarks install in the console's page (`window.__bench`), as a string: tsx's
 * own helpers do not exist in the page. Times are the page's `performance.now()`.
 *
 * - `until(action, done)`: runs `action`, watches the DOM until `done()` holds, then waits for
 *   the frame that shows it (a requestAnimationFrame, then a task after it) and resolves with the
 *   ms from the action to that frame: click to rows painted.
 * - `setValue(el, value)`: types into an input or picks in a select the way React hears it.
 * - `scroll(el, step, done, stallMs)`: scrolls `el` by `step` px a frame until `done()` holds
 *   at its bottom, or it sat at the bottom `stallMs` with nothing more loaded; resolves with
 *   the frame deltas (ms) and whether `done()` held.
 * - `frames(ms)`: the frame deltas over `ms`.
 * - `firstPaint`: resolves with the ms from the page's navigation to the roster's rows painted.
 */
const PROBE = `
window.__bench = {
  until(action, done, timeoutMs = 60000) {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      let settled = false;
      const check = () => {
        if (settled || !done()) return;
        settled = true;
        observer.disconnect();
        clearTimeout(timer);
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - started), 0));
      };
      const observer = new MutationObserver(check);
      observer.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
      const timer = setTimeout(() => {
        observer.disconnect();
        reject(new Error('the page did not show what was waited for within ' + timeoutMs + ' ms'));
      }, timeoutMs);
      action();
      check();
    });
  },
  setValue(el, value) {
    const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, value);
    el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  },
  scroll(el, step, done, stallMs = 1500, maxMs = 180000) {
    return new Promise((resolve) => {
      const deltas = [];
      let last = performance.now();
      let height = el.scrollHeight;
      let stalledSince = null;
      const end = performance.now() + maxMs;
      const tick = (now) => {
        if (now > end) return resolve({ deltas, reached: false });
        deltas.push(now - last);
        last = now;
        const atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - 1;
        if (atBottom && done()) return resolve({ deltas, reached: true });
        if (el.scrollHeight !== height || !atBottom) stalledSince = null;
        else if (stalledSince === null) stalledSince = now;
        else if (now - stalledSince > stallMs) return resolve({ deltas, reached: false });
        height = el.scrollHeight;
        el.scrollTop += step;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame((now) => {
        last = now;
        requestAnimationFrame(tick);
      });
    });
  },
  frames(ms) {
    return new Promise((resolve) => {
      const deltas = [];
      let last = performance.now();
      const end = last + ms;
      const tick = (now) => {
        deltas.push(now - last);
        last = now;
        if (now < end) requestAnimationFrame(tick);
        else resolve(deltas);
      };
      requestAnimationFrame(tick);
    });
  },
};
window.__bench.firstPaint = new Promise((resolve) => {
  const check = () => {
    if (!document.querySelector('[data-agent]')) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0));
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true });
  check();
});
`;

/** Installs `window.__bench` in every document the page loads from now on. */
export async function installProbe(page: Page): Promise<void> {
  await page.addInitScript(PROBE);
  await page.evaluate(PROBE);
}

/**
 * Runs `action` in the page (JavaScript source) and resolves with the ms until `done` (source of
 * a boolean expression) holds and is painted.
 */
export async function untilPainted(page: Page, action: string, done: string): Promise<number> {
  try {
    return (await page.evaluate(`window.__bench.until(() => { ${action} }, () => (${done}))`)) as number;
  } catch (error) {
    throw new Error(`waiting for ${done.trim().slice(0, 200)}: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Frame deltas while the page scrolls `selector` by `step` px a frame until `done` (source) holds at its bottom. */
export async function scrollFrames(
  page: Page,
  selector: string,
  step: number,
  done: string,
): Promise<{ deltas: number[]; reached: boolean }> {
  return (await page.evaluate(
    `window.__bench.scroll(document.querySelector(${JSON.stringify(selector)}), ${step}, () => (${done}))`,
  )) as { deltas: number[]; reached: boolean };
}

/** Frame deltas over `ms` of the page's life. */
export async function frameDeltas(page: Page, ms: number): Promise<number[]> {
  return (await page.evaluate(`window.__bench.frames(${ms})`)) as number[];
}
