// The reader's web page: the static frame the page's script (host-sim/web/app.ts, served as
// /app.js) fills in and keeps up to date from the server's event stream. Three columns: the reader
// with its faults, the wallet with the card editor and the scenarios, the demo phone app with the
// issuer host; the log runs underneath. Ids and data-* attributes are what the script and the
// browser test (test/web) address.

const KEYS: [string, string][] = [
  ["1", "1"], ["2", "2"], ["3", "3"], ["4", "4"], ["5", "5"], ["6", "6"], ["7", "7"], ["8", "8"], ["9", "9"],
  ["clear", "CLEAR"], ["0", "0"], ["cancel", "CANCEL"],
];

const FAULTS: [string, string, string][] = [
  ["card-removal", "Pull the card out", "the card leaves the slot or the field now, whatever the reader is doing"],
  ["power-loss", "Power loss", "the reader loses power at once; its firmware stops"],
  ["power-on", "Power on", "boots the firmware again (self-tests, key store)"],
  ["tamper", "Open the enclosure", "trips the tamper sensors: the firmware erases its keys"],
  ["recommission", "Re-commission", "new keys injected, tamper latch re-armed, reboot"],
  ["low-battery", "Low battery", "battery at 4 % and unplugged: payments are refused"],
  ["charge", "Plug the charger", "battery full and charging"],
  ["rf-collision", "RF collision", "the next tap puts two cards in the field at once"],
];

export function renderReaderPage(): string {
  const keys = KEYS.map(([key, label]) => `<button type="button" class="key key-${key}" data-key="${key}">${label}</button>`).join("");
  const faults = FAULTS.map(([kind, label, title]) => `<button type="button" data-fault="${kind}" title="${title}">${label}</button>`).join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mPOS reader simulator</title>
<link rel="stylesheet" href="/page.css">
</head>
<body>
<header class="top">
  <h1>mPOS reader simulator</h1>
  <span class="badge" id="engine-badge">engine ?</span>
  <span class="badge" id="stream-state">connecting...</span>
</header>
<main class="grid">
  <section class="col">
    <div class="reader" id="reader" data-powered="false">
      <div class="reader-top">
        <div class="leds" id="leds"><span class="led" data-led="0"></span><span class="led" data-led="1"></span><span class="led" data-led="2"></span><span class="led" data-led="3"></span></div>
        <div class="icons"><span id="buzzer" class="buzzer" title="buzzer">&#9834;</span><span id="ble" class="ble" title="Bluetooth LE">BLE</span><span id="battery" class="battery" title="battery"><span id="battery-level"></span></span></div>
      </div>
      <div class="contactless-mark" id="field" title="contactless landing zone">))))</div>
      <pre class="lcd" id="display" aria-live="polite"></pre>
      <div class="keypad" id="keypad">${keys}<button type="button" class="key key-enter wide" data-key="enter">ENTER</button></div>
      <div class="slot" id="slot"><div class="slot-card" id="slot-card"></div></div>
    </div>
    <div class="reader-info" id="reader-info"></div>
    <p class="hint">Keyboard: digits, Enter, Backspace = CLEAR, Escape = CANCEL.</p>
    <section class="panel" id="faults"><h2>Faults</h2><div class="buttons">${faults}</div></section>
  </section>
  <section class="col">
    <section class="panel" id="wallet"><h2>Wallet</h2>
      <div class="cards" id="cards"></div>
      <div class="buttons"><button type="button" id="remove-card">Remove card from the slot</button><button type="button" id="take-away">Take away from the field</button></div>
    </section>
    <section class="panel" id="editor"><h2>Custom card</h2>
      <form id="card-editor" class="editor">
        <label>Copy of <select name="base" id="editor-base"></select></label>
        <label>Label <input name="label" placeholder="My test card" maxlength="24"></label>
        <label>Cardholder name <input name="cardholderName" placeholder="TEST/CARDHOLDER" maxlength="26"></label>
        <label>Expiry (YYMMDD) <input name="expiry" placeholder="301231" maxlength="6"></label>
        <label>PAN <input name="pan" placeholder="same as the copied card" maxlength="19"></label>
        <label>PIN <input name="pin" placeholder="1234" maxlength="12"></label>
        <button type="submit">Add to the wallet</button>
        <span class="error" id="editor-error"></span>
      </form>
    </section>
    <section class="panel" id="scenarios"><h2>Scenarios</h2>
      <div class="buttons"><select id="scenario-select"><option value="">(paste a scenario)</option></select><button type="button" id="scenario-run">Run scenario</button></div>
      <textarea id="scenario-text" rows="6" spellcheck="false" placeholder='{ "amount": "12.34", "steps": [ { "at": 0, "do": "insert", "card": "visa-cda" } ] }'></textarea>
      <pre class="report" id="scenario-report"></pre>
    </section>
  </section>
  <section class="col">
    <div class="phone" id="phone">
      <div class="phone-bar"><span>Demo phone app</span><span id="phone-link">not connected</span></div>
      <div class="phone-body">
        <div id="phone-connect-area" class="buttons"><button type="button" id="phone-connect">Connect to the reader</button></div>
        <div id="phone-code-area" hidden>
          <p id="phone-code-label">Enter the code shown on the reader</p>
          <div class="buttons"><input id="phone-code" inputmode="numeric" maxlength="6" autocomplete="off"><button type="button" id="phone-code-ok">OK</button></div>
        </div>
        <form id="phone-pay-area" hidden>
          <label>Amount (USD) <input id="phone-amount" value="12.34" inputmode="decimal"></label>
          <div class="buttons"><button type="submit" id="phone-pay">Pay</button><button type="button" id="phone-cancel" disabled>Cancel</button></div>
        </form>
        <ol class="phone-events" id="phone-events"></ol>
        <div class="receipt" id="phone-receipt" hidden></div>
      </div>
    </div>
    <section class="panel" id="issuer"><h2>Issuer host</h2><p class="hint">What the host received and decrypted, card data masked.</p><div id="issuer-entries"></div></section>
  </section>
</main>
<section class="panel logpanel"><h2>Log</h2><ol class="log" id="log"></ol></section>
<script src="/app.js"></script>
</body>
</html>
`;
}
