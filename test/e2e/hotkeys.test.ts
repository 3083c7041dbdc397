/**
 * The mode's hotkeys in headless Chromium (prebuilt OHIF 3.13, demo study, WASM): each key does what
 * it says on the service's state and on the viewport's layers; OHIF's own default keys still work;
 * a site's app-config rebinding (customizationService.mode['chest-xray-ai']) takes effect; and the
 * demo's header has no back arrow into a study list that fails.
 */
import type { Page } from 'playwright-core';
import { prepareDemo, startDemoServer, type DemoServer } from '../../demo/server';
import { CHEST_XRAY_AI_HOTKEYS } from '../../extension/src/hotkeys';
import { launchChromium } from '../support/chromium';
import { inPageViewportState } from './viewerHelpers';

const LAYER_PREFIX = 'chest-xray-ai-heatmap:';
/** The site's rebinding under test: outline mode moves from shift+o to shift+w. */
const REBOUND = { commandName: 'chestXrayAiToggleOutline', keys: ['shift+w'] };
const EXTRA_APP_CONFIG = `{
  customizationService: {
    mode: {
      'chest-xray-ai': {
        'ohif.hotkeyBindings': {
          $apply: (bindings) =>
            bindings.map((b) => (b.commandName === ${JSON.stringify(REBOUND.commandName)} ? { ...b, keys: ${JSON.stringify(REBOUND.keys)} } : b)),
        },
      },
    },
  },
}`;

interface Heatmaps {
  visible: string[];
  hidden: boolean;
  style: 'fill' | 'outline';
  opacity: number;
}

jest.setTimeout(600_000);

let server: DemoServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const pageErrors: string[] = [];

/** Mousetrap's key names to Playwright's. */
function playwrightKeys(keys: string): string {
  const names: Record<string, string> = { shift: 'Shift', ctrl: 'Control', alt: 'Alt', right: 'ArrowRight' };
  Object.assign(names, { left: 'ArrowLeft', up: 'ArrowUp', down: 'ArrowDown' });
  return keys
    .split('+')
    .map((k) => names[k] ?? (k.length === 1 ? `Key${k.toUpperCase()}` : k))
    .join('+');
}

function defaultKeys(commandName: string): string {
  const hotkey = CHEST_XRAY_AI_HOTKEYS.find((h) => h.commandName === commandName);
  if (!hotkey) throw new Error(`no hotkey for ${commandName}`);
  return hotkey.keys[0];
}

async function heatmaps(): Promise<Heatmaps> {
  return page.evaluate(() => (window as any).services.chestXrayAiService.getState().heatmaps as Heatmaps);
}

/** Findings that have a heatmap layer on the active viewport. */
async function layerFindings(): Promise<string[]> {
  const { actors } = await page.evaluate(inPageViewportState);
  const found = actors.filter((a) => a.uid.startsWith(LAYER_PREFIX)).map((a) => a.uid.slice(LAYER_PREFIX.length));
  return [...new Set(found)].sort();
}

/** Presses a key with nothing focused (Mousetrap ignores keys typed into form fields). */
async function press(keys: string): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur?.());
  await page.keyboard.press(playwrightKeys(keys));
  await page.waitForTimeout(400);
}

async function waitForLayers(want: string[]): Promise<void> {
  const sorted = [...want].sort();
  const deadline = Date.now() + 10_000;
  let last: string[] = [];
  while (Date.now() < deadline) {
    last = await layerFindings();
    if (JSON.stringify(last) === JSON.stringify(sorted)) return;
    await page.waitForTimeout(200);
  }
  expect(last).toEqual(sorted);
}

beforeAll(async () => {
  prepareDemo({ log: () => undefined });
  server = await startDemoServer({ port: 0, backend: 'wasm', extraAppConfig: EXTRA_APP_CONFIG });
  browser = await launchChromium();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.setViewportSize({ width: 1400, height: 900 });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(server.studyUrl);
  await page.waitForSelector('[data-testid=cxrai-panel]', { timeout: 180_000 });
  await page.waitForFunction(
    () => (window as any).services?.chestXrayAiService?.getState().result !== undefined,
    undefined,
    { timeout: 240_000, polling: 250 },
  );
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('Chest X-ray AI hotkeys (OHIF hotkeys manager)', () => {
  test('the bindings OHIF hands its hotkeys manager hold ours, the site rebinding and its defaults', async () => {
    // What Mode.tsx passes to hotkeysManager.setDefaultHotKeys after onModeEnter.
    const bound = await page.evaluate(() =>
      ((window as any).services.customizationService.getCustomization('ohif.hotkeyBindings') as any[]).map((d) => ({
        commandName: d.commandName as string,
        keys: d.keys as string[],
      })),
    );
    for (const hotkey of CHEST_XRAY_AI_HOTKEYS) {
      const keys = hotkey.commandName === REBOUND.commandName ? REBOUND.keys : [...hotkey.keys];
      expect(bound).toContainEqual({ commandName: hotkey.commandName, keys });
    }
    expect(bound).toContainEqual({ commandName: 'invertViewport', keys: ['i'] });
    // No key of ours is also one of OHIF's.
    const ours = new Set(CHEST_XRAY_AI_HOTKEYS.map((h) => h.commandName));
    const theirKeys = new Set(bound.filter((b) => !ours.has(b.commandName)).flatMap((b) => b.keys));
    for (const hotkey of CHEST_XRAY_AI_HOTKEYS) for (const key of hotkey.keys) expect(theirKeys.has(key)).toBe(false);
  });

  test('next / previous heatmap show one finding alone, in turn, as a layer', async () => {
    await press(defaultKeys('chestXrayAiNextHeatmap'));
    const first = await heatmaps();
    expect(first.visible).toHaveLength(1);
    await waitForLayers(first.visible);

    await press(defaultKeys('chestXrayAiNextHeatmap'));
    const second = await heatmaps();
    expect(second.visible).toHaveLength(1);
    expect(second.visible[0]).not.toBe(first.visible[0]);
    await waitForLayers(second.visible);

    await press(defaultKeys('chestXrayAiPreviousHeatmap'));
    expect((await heatmaps()).visible).toEqual(first.visible);
    await waitForLayers(first.visible);
  });

  test('toggle overlays hides every layer and brings them back, keeping the choice', async () => {
    const before = await heatmaps();
    expect(before.hidden).toBe(false);
    await press(defaultKeys('chestXrayAiToggleOverlays'));
    const hidden = await heatmaps();
    expect(hidden.hidden).toBe(true);
    expect(hidden.visible).toEqual(before.visible);
    await waitForLayers([]);
    await press(defaultKeys('chestXrayAiToggleOverlays'));
    expect((await heatmaps()).hidden).toBe(false);
    await waitForLayers(before.visible);
  });

  test('opacity up and down step the heatmap opacity', async () => {
    const start = (await heatmaps()).opacity;
    await press(defaultKeys('chestXrayAiOpacityDown'));
    const down = (await heatmaps()).opacity;
    expect(down).toBeLessThan(start);
    await press(defaultKeys('chestXrayAiOpacityUp'));
    expect((await heatmaps()).opacity).toBeCloseTo(start, 5);
    await press(defaultKeys('chestXrayAiOpacityUp'));
    expect((await heatmaps()).opacity).toBeGreaterThan(start - 1e-9);
  });

  test("outline mode follows the site's rebinding from app-config, not the default key", async () => {
    const start = await heatmaps();
    const defaultKey = defaultKeys(REBOUND.commandName);
    expect(defaultKey).not.toBe(REBOUND.keys[0]);
    await press(defaultKey);
    expect((await heatmaps()).style).toBe(start.style);
    await press(REBOUND.keys[0]);
    const toggled = await heatmaps();
    expect(toggled.style).toBe(start.style === 'fill' ? 'outline' : 'fill');
    await waitForLayers(toggled.visible);
    await press(REBOUND.keys[0]);
    expect((await heatmaps()).style).toBe(start.style);
  });

  test("OHIF's default hotkeys still work (i inverts the image)", async () => {
    const inverted = () =>
      page.evaluate(() => {
        const w = window as any;
        const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(
          w.services.viewportGridService.getActiveViewportId(),
        );
        return !!vp.getProperties().invert;
      });
    const before = await inverted();
    await press('i');
    expect(await inverted()).toBe(!before);
    await press('i');
    expect(await inverted()).toBe(before);
  });
});

describe('Demo header', () => {
  test('has no back arrow to a study list, and clicking where it was opens no error', async () => {
    const url = page.url();
    const returnButton = page.locator('[data-cy=return-to-work-list]');
    await expect(returnButton.locator(':scope > svg').count()).resolves.toBe(0);
    if ((await returnButton.count()) > 0) await returnButton.first().click();
    await page.waitForTimeout(1500);
    expect(page.url()).toBe(url);
    const body = (await page.textContent('body')) ?? '';
    expect(body).not.toMatch(/Something went wrong/i);
    await expect(page.locator('[data-sonner-toast][data-type=error]').count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
