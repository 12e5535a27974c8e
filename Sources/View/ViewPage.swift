/// The page `furuta view` serves: the pendulum in an oblique 3D projection on one canvas, the
/// last 10 s of angles and duty on another, numbers underneath. Keys: ←/→ set the duty
/// (keyboard source), space sets it to 0, R restarts; the speed box sets replay speed.
/// For tests, #view carries data-frames (frames drawn) and data-tip-span (how far the drawn
/// pendulum tip has moved, px).
enum ViewPage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Furuta pendulum — live view</title>
<style>
  body { font-family: "DejaVu Sans", Verdana, sans-serif; margin: 16px; color: #222; background: #fafafa; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  #source { color: #555; margin-bottom: 10px; }
  .row { display: flex; gap: 16px; flex-wrap: wrap; }
  canvas { background: white; border: 1px solid #ccc; }
  table { border-collapse: collapse; margin-top: 8px; }
  td { padding: 2px 10px 2px 0; font-variant-numeric: tabular-nums; }
  #status.down { color: #d55e00; }
  kbd { border: 1px solid #aaa; border-radius: 3px; padding: 0 4px; background: white; }
</style>
</head>
<body>
<h1>Furuta pendulum — live view</h1>
<div id="source">connecting…</div>
<div class="row" id="view" data-frames="0" data-tip-span="0">
  <canvas id="pendulum" width="480" height="440" aria-label="pendulum drawing"></canvas>
  <canvas id="plot" width="620" height="440" aria-label="live plots"></canvas>
</div>
<table>
  <tr><td>time</td><td id="t">–</td><td>mode</td><td id="mode">–</td><td>connection</td><td id="status">connecting</td></tr>
  <tr><td>pendulum α</td><td id="alpha">–</td><td>arm θ</td><td id="theta">–</td><td>duty</td><td id="duty">–</td></tr>
</table>
<p><kbd>←</kbd>/<kbd>→</kbd> set the duty (keyboard source), <kbd>space</kbd> duty 0, <kbd>R</kbd> restart.
Replay speed <input id="speed" type="number" value="1" min="0.05" max="100" step="0.25" style="width:5em"> ×</p>
<script>
"use strict";
const view = document.getElementById("view");
// ?hold=N keeps the page loading for N ms (see ViewServer), for headless snapshots.
const hold = new URLSearchParams(location.search).get("hold");
if (hold) { const img = new Image(); img.src = "/hold?ms=" + encodeURIComponent(hold); img.hidden = true; document.body.appendChild(img); }
const pc = document.getElementById("pendulum").getContext("2d");
const lc = document.getElementById("plot").getContext("2d");
const history = [];            // frames of the last 10 s
let frames = 0, tipMin = null, tipMax = null, duty = 0, socket = null;

// Geometry in metres, scaled for drawing: arm of length L1 turning about the vertical axis,
// pendulum of length L2 hanging from its tip, turning about the arm (α = 0 down, α = π up).
const L1 = 1.0, L2 = 1.1, SCALE = 150, AZ = 0.6, EL = 0.45;
function project(p) {        // oblique view: rotate about z by AZ, tilt by EL
  const x = p[0] * Math.cos(AZ) - p[1] * Math.sin(AZ);
  const y = p[0] * Math.sin(AZ) + p[1] * Math.cos(AZ);
  return [240 + SCALE * x, 250 - SCALE * (p[2] * Math.cos(EL) - y * Math.sin(EL))];
}
function drawPendulum(f) {
  pc.clearRect(0, 0, 480, 440);
  const th = f.arm, al = f.pendulum;
  const tip = [L1 * Math.cos(th), L1 * Math.sin(th), 0];
  const t = [-Math.sin(th), Math.cos(th), 0];
  const end = [tip[0] + L2 * Math.sin(al) * t[0], tip[1] + L2 * Math.sin(al) * t[1], -L2 * Math.cos(al)];
  // Base plate and its circle of arm travel.
  pc.strokeStyle = "#ddd"; pc.beginPath();
  for (let k = 0; k <= 64; k++) { const a = k / 64 * 2 * Math.PI; const q = project([L1 * Math.cos(a), L1 * Math.sin(a), 0]); k ? pc.lineTo(q[0], q[1]) : pc.moveTo(q[0], q[1]); }
  pc.stroke();
  const o = project([0, 0, 0]), b = project([0, 0, -1.15]);
  pc.strokeStyle = "#999"; pc.lineWidth = 10; pc.beginPath(); pc.moveTo(b[0], b[1]); pc.lineTo(o[0], o[1]); pc.stroke();
  const a = project(tip), e = project(end);
  pc.strokeStyle = "#e69f00"; pc.lineWidth = 9; pc.lineCap = "round";
  pc.beginPath(); pc.moveTo(o[0], o[1]); pc.lineTo(a[0], a[1]); pc.stroke();
  pc.strokeStyle = "#0072b2"; pc.lineWidth = 7;
  pc.beginPath(); pc.moveTo(a[0], a[1]); pc.lineTo(e[0], e[1]); pc.stroke();
  pc.fillStyle = "#0072b2"; pc.beginPath(); pc.arc(e[0], e[1], 11, 0, 2 * Math.PI); pc.fill();
  pc.fillStyle = "#333"; pc.beginPath(); pc.arc(a[0], a[1], 5, 0, 2 * Math.PI); pc.fill();
  // Duty bar.
  pc.fillStyle = "#eee"; pc.fillRect(60, 410, 360, 14);
  pc.fillStyle = f.duty >= 0 ? "#009e73" : "#d55e00";
  pc.fillRect(240, 410, 180 * Math.max(-1, Math.min(1, f.duty)), 14);
  pc.fillStyle = "#222"; pc.font = "13px DejaVu Sans, sans-serif"; pc.fillText("duty", 20, 422);
  const upright = Math.abs(wrap(al) - Math.PI) < 0.2;
  pc.fillStyle = upright ? "#009e73" : "#777"; pc.font = "bold 15px DejaVu Sans, sans-serif";
  pc.fillText(upright ? "upright" : "", 20, 28);
  tipMin = tipMin ? [Math.min(tipMin[0], e[0]), Math.min(tipMin[1], e[1])] : e.slice();
  tipMax = tipMax ? [Math.max(tipMax[0], e[0]), Math.max(tipMax[1], e[1])] : e.slice();
}
function wrap(a) { const w = a % (2 * Math.PI); return w < 0 ? w + 2 * Math.PI : w; }
function drawPlot() {
  lc.clearRect(0, 0, 620, 440);
  if (!history.length) return;
  const tEnd = history[history.length - 1].t, tStart = Math.max(history[0].t, tEnd - 10);
  const panels = [
    { top: 20, h: 170, lo: 0, hi: 2 * Math.PI, label: "angle (rad)", ticks: [0, Math.PI, 2 * Math.PI], tickText: ["0", "π", "2π"],
      series: [["pendulum α (mod 2π)", "#0072b2", f => wrap(f.pendulum)], ["arm θ + π", "#e69f00", f => f.arm + Math.PI]] },
    { top: 250, h: 150, lo: -1, hi: 1, label: "duty", ticks: [-1, 0, 1], tickText: ["−1", "0", "1"],
      series: [["duty", "#009e73", f => f.duty]] }];
  lc.font = "12px DejaVu Sans, sans-serif";
  for (const p of panels) {
    const x = t => 70 + (t - tStart) / 10 * 520, y = v => p.top + p.h - (v - p.lo) / (p.hi - p.lo) * p.h;
    lc.strokeStyle = "#333"; lc.lineWidth = 1; lc.strokeRect(70, p.top, 520, p.h);
    lc.fillStyle = "#222";
    p.ticks.forEach((v, i) => { lc.fillText(p.tickText[i], 40, y(v) + 4); lc.strokeStyle = "#eee"; lc.beginPath(); lc.moveTo(71, y(v)); lc.lineTo(589, y(v)); lc.stroke(); });
    lc.save(); lc.translate(16, p.top + p.h / 2); lc.rotate(-Math.PI / 2); lc.textAlign = "center"; lc.fillText(p.label, 0, 0); lc.restore();
    p.series.forEach(([name, color, value], k) => {
      lc.strokeStyle = color; lc.lineWidth = 1.8; lc.beginPath();
      let started = false, last = null;
      for (const f of history) {
        const v = value(f);
        if (!isFinite(v)) { started = false; continue; }
        // Break the line where the wrapped angle jumps.
        if (last !== null && Math.abs(v - last) > (p.hi - p.lo) / 2) started = false;
        started ? lc.lineTo(x(f.t), y(v)) : lc.moveTo(x(f.t), y(v)); started = true; last = v;
      }
      lc.stroke();
      lc.fillStyle = color; lc.fillText(name, 80 + 170 * k, p.top - 6);
    });
  }
  lc.fillStyle = "#222"; lc.textAlign = "center"; lc.fillText("10 s window, time " + tStart.toFixed(1) + " … " + (tStart + 10).toFixed(1) + " s", 330, 432); lc.textAlign = "start";
}
function show(f) {
  frames++;
  history.push(f);
  while (history.length && history[0].t < f.t - 10) history.shift();
  if (history.length > 1 && history[history.length - 2].t > f.t) history.splice(0, history.length - 1); // restarted
  drawPendulum(f);
  document.getElementById("t").textContent = f.t.toFixed(2) + " s";
  document.getElementById("alpha").textContent = f.pendulum.toFixed(3) + " rad";
  document.getElementById("theta").textContent = f.arm.toFixed(3) + " rad";
  document.getElementById("duty").textContent = f.duty.toFixed(3);
  document.getElementById("mode").textContent = f.mode;
  view.dataset.frames = frames;
  view.dataset.tipSpan = Math.round(Math.hypot(tipMax[0] - tipMin[0], tipMax[1] - tipMin[1]));
}
function connect() {
  socket = new WebSocket("ws://" + location.host + "/stream");
  socket.onopen = () => { const s = document.getElementById("status"); s.textContent = "live"; s.className = ""; sendSpeed(); };
  socket.onclose = () => { const s = document.getElementById("status"); s.textContent = "disconnected, retrying"; s.className = "down"; setTimeout(connect, 1000); };
  socket.onmessage = m => { const f = JSON.parse(m.data); if (f.source) { document.getElementById("source").textContent = f.source; return; } show(f); };
}
function send(o) { if (socket && socket.readyState === 1) socket.send(JSON.stringify(o)); }
function sendSpeed() { const v = parseFloat(document.getElementById("speed").value); if (v > 0) send({ speed: v }); }
document.getElementById("speed").addEventListener("change", sendSpeed);
document.addEventListener("keydown", e => {
  if (e.key === "ArrowLeft") duty = Math.max(-1, duty - 0.1);
  else if (e.key === "ArrowRight") duty = Math.min(1, duty + 0.1);
  else if (e.key === " ") duty = 0;
  else if (e.key === "r" || e.key === "R") { send({ restart: true }); return; }
  else return;
  e.preventDefault(); send({ duty: duty });
});
(function frameLoop() { drawPlot(); requestAnimationFrame(frameLoop); })();
connect();
</script>
</body>
</html>
"""#
}
