// Shared pieces of the end-to-end tests: a real `steward serve` on a free
// port with a throwaway data folder, a headless Chromium driven by
// playwright-core, the JSON API for feeding events, and screenshots.
//
// Environment (scripts/e2e sets them; defaults suit a run from the repo):
//   STEWARD_E2E_BIN        the steward binary (default target/debug/steward)
//   STEWARD_CHROMIUM       the Chromium executable (default /usr/bin/chromium,
//                          then chromium-browser on PATH)
//   STEWARD_E2E_ARTIFACTS  where screenshots go (default target/e2e-artifacts)

import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ARTIFACTS = resolve(
  process.env.STEWARD_E2E_ARTIFACTS || join(REPO_ROOT, 'target', 'e2e-artifacts'),
);

/** A password long enough for the account forms. */
export const PASSWORD = 'correct horse battery';

function stewardBinary() {
  const bin = process.env.STEWARD_E2E_BIN || join(REPO_ROOT, 'target', 'debug', 'steward');
  if (!existsSync(bin)) {
    throw new Error(`${bin} does not exist; build it with: cargo build --locked -p steward`);
  }
  return bin;
}

export function chromiumPath() {
  const candidates = [process.env.STEWARD_CHROMIUM, '/usr/bin/chromium'];
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      candidates.push(execFileSync('sh', ['-c', `command -v ${name}`]).toString().trim());
    } catch {
      // not on PATH
    }
  }
  const found = candidates.find((c) => c && existsSync(c));
  if (!found) {
    throw new Error('Chromium not found: install it (apt-get install chromium) or set STEWARD_CHROMIUM');
  }
  return found;
}

/**
 * Starts `steward serve --listen 127.0.0.1:0` on an empty data folder with an
 * ingest token. Resolves once `/healthz` answers 200, with the base URL and
 * the one-time setup link the server printed.
 */
export async function startSteward() {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-e2e-'));
  const ingestToken = `ingest_${randomBytes(12).toString('hex')}`;
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith('STEWARD_')) delete env[name];
  }
  Object.assign(env, {
    STEWARD_DATA_DIR: dataDir,
    STEWARD_INGEST_TOKEN: ingestToken,
    STEWARD_DEFAULT_LANGUAGE: 'en',
    STEWARD_LOG: process.env.STEWARD_E2E_LOG || 'warn',
  });
  const child = spawn(stewardBinary(), ['serve', '--listen', '127.0.0.1:0'], {
    cwd: dataDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    if (process.env.STEWARD_E2E_VERBOSE) process.stderr.write(chunk);
  });
  const lines = createInterface({ input: child.stdout });
  let base;
  let setupLink;
  const started = new Promise((resolveStart, rejectStart) => {
    const timer = setTimeout(() => rejectStart(new Error('steward did not print its address within 30 s')), 30_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      rejectStart(new Error(`steward exited (${code ?? signal}) before it was ready:\n${output.join('\n')}\n${stderr}`));
    });
    lines.on('line', (line) => {
      output.push(line);
      const listening = line.match(/^steward listening on (http:\/\/\S+)/);
      if (listening) base = listening[1];
      const setup = line.match(/(\S*\/setup\?token=setup_\S+)/);
      if (setup) setupLink = setup[1];
      // The setup link, when printed, follows the address right away.
      if (base && (setupLink || output.length > 4)) {
        clearTimeout(timer);
        resolveStart();
      }
    });
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await started;
    if (!setupLink) throw new Error(`steward printed no setup link:\n${output.join('\n')}`);
    await waitForHealth(base);
  } catch (error) {
    await stop();
    throw error;
  }
  child.removeAllListeners('exit');
  return {
    base,
    setupLink,
    ingestToken,
    stop,
    logs: () => `${output.join('\n')}\n${stderr}`,
  };
}

async function waitForHealth(base) {
  const deadline = Date.now() + 30_000;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.status === 200) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = error.message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${base}/healthz never answered 200 (${last})`);
}

/** A JSON call with the ingest token; throws unless it answers 200. */
export async function api(server, path, body) {
  const response = await fetch(`${server.base}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${server.ingestToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`POST ${path} answered ${response.status}: ${text}`);
  }
  return JSON.parse(text);
}

let eventCounter = 0;

/** A chat message in the wire format of `POST /api/v1/ingest`. */
export function message({ group = 'g-e2e', groupTitle = 'E2E 测试群', member, memberName, text }) {
  eventCounter += 1;
  return {
    id: `e2e-${eventCounter}`,
    platform: 'http',
    group: { id: group, title: groupTitle },
    at: new Date(Date.now() - 60_000 + eventCounter).toISOString(),
    kind: 'message',
    member: { id: member, name: memberName },
    message: { id: `m-${eventCounter}`, text },
  };
}

/** Ingests events; returns the per-event results (all must be accepted). */
export async function ingest(server, events) {
  const answer = await api(server, '/api/v1/ingest', events);
  for (const result of answer.results) {
    if (result.status !== 'accepted') {
      throw new Error(`event ${result.id} was ${result.status}: ${JSON.stringify(result)}`);
    }
  }
  return answer.results;
}

/** Opens a case in the review queue through a member's appeal. */
export async function appeal(server, { group = 'g-e2e', member, text }) {
  return (await api(server, '/api/v1/appeals', { group, member, text })).case;
}

/** Headless Chromium. Root needs --no-sandbox. */
export async function launchBrowser() {
  const args = ['--disable-dev-shm-usage', '--disable-gpu'];
  if (process.getuid && process.getuid() === 0) args.push('--no-sandbox');
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args });
}

/**
 * A fresh browser context (its own cookies) and page. Dialogs are recorded
 * in `page.dialogs`: confirm() prompts from data-confirm buttons are
 * accepted, anything else (an alert fired by injected markup) is dismissed.
 */
export async function newPage(browser) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.dialogs = [];
  page.on('dialog', async (dialog) => {
    page.dialogs.push({ type: dialog.type(), message: dialog.message() });
    if (dialog.type() === 'confirm') await dialog.accept();
    else await dialog.dismiss();
  });
  page.pageErrors = [];
  page.on('pageerror', (error) => page.pageErrors.push(error.message));
  return page;
}

/** Saves a full-page screenshot as `target/e2e-artifacts/<name>.png`. */
export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * Runs `fn`; when it throws, saves `failed-<name>.png` of the page and adds
 * the page's address to the error.
 */
export async function onPage(page, name, fn) {
  try {
    return await fn();
  } catch (error) {
    try {
      await screenshot(page, `failed-${name}`);
    } catch {
      // the page may be gone
    }
    error.message = `${error.message}\n(on ${page.url()}; screenshot target/e2e-artifacts/failed-${name}.png)`;
    throw error;
  }
}

/** GETs a dashboard path in the page; returns the HTTP status. */
export async function visit(page, base, path) {
  const response = await page.goto(`${base}${path}`);
  return response.status();
}
