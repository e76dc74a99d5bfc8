/// <reference lib="dom" />
import type { ToneSpec } from "../../hal/indicators";
import type { SessionState } from "../server/sim-session";
import type { WalletCard } from "../server/wallet";
import { api, byId } from "./dom";

// The reader as drawn on the page: its display (4 lines of 20 characters), the four contactless
// status lights (EMV Contactless Book A, 9.2; the first one flashing when asked), the beeper (Book A,
// 9.3, played with Web Audio and shown as a blinking note), the battery and the BLE state, the card
// in the slot and the card held over the landing zone. Its keypad takes clicks and the keyboard.

const KEYBOARD: Record<string, string> = { Enter: "enter", Backspace: "clear", Delete: "clear", Escape: "cancel" };

let audio: AudioContext | null = null;

/** Plays a tone sequence (frequency, length, count, pause) and blinks the buzzer icon. */
export function beep(tone: ToneSpec): void {
  const icon = byId("buzzer");
  icon.classList.add("sounding");
  setTimeout(() => icon.classList.remove("sounding"), tone.count * (tone.toneMs + tone.pauseMs) + 100);
  try {
    audio ??= new AudioContext();
    const ctx = audio;
    for (let i = 0; i < tone.count; i++) {
      const start = ctx.currentTime + (i * (tone.toneMs + tone.pauseMs)) / 1000;
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = tone.frequencyHz;
      gain.gain.value = 0.05;
      osc.connect(gain).connect(ctx.destination);
      osc.start(start);
      osc.stop(start + tone.toneMs / 1000);
    }
  } catch {
    // No audio device (a headless browser): the icon is enough.
  }
}

export function pressKey(key: string): void {
  api("/api/key", { key }).catch(() => undefined);
}

export function bindKeypad(): void {
  for (const b of Array.from(byId("keypad").querySelectorAll<HTMLButtonElement>("button[data-key]"))) {
    b.addEventListener("click", () => pressKey(b.dataset.key as string));
  }
  document.addEventListener("keydown", (e) => {
    const t = e.target as HTMLElement | null;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) return;
    const key = /^[0-9]$/.test(e.key) ? e.key : KEYBOARD[e.key];
    if (key === undefined) return;
    e.preventDefault();
    const b = byId("keypad").querySelector<HTMLButtonElement>(`button[data-key="${key}"]`);
    b?.classList.add("pressed");
    setTimeout(() => b?.classList.remove("pressed"), 120);
    pressKey(key);
  });
}

export function renderReader(s: SessionState, cards: WalletCard[]): void {
  const reader = byId("reader");
  reader.dataset.powered = String(s.powered);
  reader.dataset.tampered = String(s.tampered);
  reader.dataset.pinEntry = String(s.pinEntry);
  const lines = s.powered ? s.display.slice(0, 4) : [];
  while (lines.length < 4) lines.push("");
  byId("display").textContent = lines.map((l) => l.padEnd(20, " ")).join("\n");
  byId("leds").querySelectorAll<HTMLElement>(".led").forEach((led, i) => {
    led.classList.toggle("on", s.powered && s.lights[i]);
    led.classList.toggle("flash", s.powered && i === 0 && s.lights[0] && s.flashFirst);
  });
  const level = byId("battery-level");
  level.style.width = `${Math.max(0, Math.min(100, s.battery.percent))}%`;
  const battery = byId("battery");
  battery.classList.toggle("low", s.battery.percent <= 10);
  battery.classList.toggle("charging", s.battery.charging);
  battery.title = `battery ${s.battery.percent} %${s.battery.charging ? ", charging" : ""}`;
  const ble = byId("ble");
  ble.className = `ble ${!s.powered || !s.ble.advertising ? "off" : s.ble.secured > 0 ? "secured" : s.ble.connections > 0 ? "connected" : "advertising"}`;
  ble.title = !s.ble.advertising ? "Bluetooth off" : `${s.ble.name ?? ""}: ${s.ble.connections} connected, ${s.ble.secured} secured`;
  const name = (id: string) => cards.find((c) => c.id === id)?.label ?? id;
  const slotCard = byId("slot-card");
  slotCard.textContent = s.slot === null ? "" : name(s.slot);
  slotCard.classList.toggle("in", s.slot !== null);
  const field = byId("field");
  field.classList.toggle("held", s.field.length > 0);
  field.title = s.field.length > 0 ? `in the field: ${s.field.map(name).join(", ")}` : "contactless landing zone";
  const info: string[] = [
    `Firmware on ${s.engine === "xs" ? "the XS engine" : "Node"}${s.booting ? " (booting)" : s.powered ? "" : " (power off)"}`,
    s.selfTest ? `self-tests ${s.selfTest.passed} passed, ${s.selfTest.failed} failed` : "self-tests: not run",
    `keys ${s.keys}${s.tampered ? " (TAMPERED)" : ""}`,
    `battery ${s.battery.percent} %${s.battery.charging ? " charging" : ""}`,
    s.ble.advertising ? `BLE "${s.ble.name ?? ""}", ${s.ble.connections} phone(s)` : "BLE off",
  ];
  if (s.meter) info.push(`last payment on XS: ${s.meter.compute.toLocaleString("en-US")} compute units`);
  byId("reader-info").textContent = info.join(" \u00b7 ");
}
