// The reader's web page. It fetches /api/status and draws the reader; live hardware, cards and the
// demo phone app join it as the simulator grows.

export function renderReaderPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>mPOS reader simulator</title>
<style>
  body { font-family: system-ui, sans-serif; background: #eef1f4; margin: 0; padding: 2rem; color: #1d2733; }
  .reader { width: 280px; background: #22272e; border-radius: 28px; padding: 24px; box-shadow: 0 8px 24px #0004; }
  .display { background: #c9e6c1; color: #102010; font: 18px/1.4 monospace; border-radius: 6px; padding: 14px; min-height: 72px; }
  .leds { display: flex; gap: 10px; justify-content: center; margin: 16px 0; }
  .led { width: 14px; height: 14px; border-radius: 50%; background: #444; }
  .status { margin-top: 1.5rem; font-size: 14px; }
  .ok { color: #176b2c; } .bad { color: #a01818; }
</style>
</head>
<body>
<h1>mPOS reader simulator</h1>
<div class="reader">
  <div class="leds"><span class="led"></span><span class="led"></span><span class="led"></span><span class="led"></span></div>
  <div class="display" id="display">Starting...</div>
</div>
<div class="status" id="status"></div>
<script>
fetch("/api/status").then((r) => r.json()).then((s) => {
  const t = s.selfTest;
  const good = t.failed === 0;
  document.getElementById("display").textContent = good ? "WELCOME" : "SELF-TEST FAILED";
  document.getElementById("status").innerHTML =
    "Firmware engine: <b>" + s.engine + "</b><br>Power-on self-tests: <span class='" + (good ? "ok" : "bad") + "'>" +
    t.passed + " passed, " + t.failed + " failed</span>" +
    (s.meter ? "<br>XS compute for the self-tests: " + s.meter.compute : "");
});
</script>
</body>
</html>
`;
}
