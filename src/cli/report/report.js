/* report.js — the report's interaction: zooming the physical map from the
 * whole machine down to one 4 KiB frame, and the hover card that shows a
 * frame's struct page from the embedded runs (packed: varints, deflated;
 * the browser's DecompressionStream inflates them). With #selftest in the
 * URL the page also checks itself and writes what it found into
 * <pre id="selftest"> for the browser test (tests/report_test.py). */
"use strict";
(function () {
  const errors = [];
  window.addEventListener("error", e => errors.push(String(e.message)));
  const data = JSON.parse(document.getElementById("mmsim-data").textContent);
  const F = data.frames, W = 5;
  let runs = [], nruns = 0;
  const comm = {};
  for (const p of data.processes) comm[p.pid] = p.comm;
  const map = document.getElementById("physmap");
  const card = document.getElementById("card");
  const cols = Number(map.dataset.cols), rows = Number(map.dataset.rows);
  const width = Number(map.dataset.width), scale = Number(map.dataset.scale);

  /* The runs, unpacked: gap, frames, detail, pid, address in pages, each a varint. */
  async function unpackRuns() {
    const packed = document.getElementById("mmsim-runs");
    const bytes = Uint8Array.from(atob(packed.textContent), c => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    const raw = new Uint8Array(await new Response(stream).arrayBuffer());
    const n = Number(packed.dataset.runs), out = new Float64Array(n * W);
    let at = 0, end = 0;
    const next = () => {
      let v = 0, mul = 1, b;
      do { b = raw[at++]; v += (b & 0x7f) * mul; mul *= 128; } while (b & 0x80);
      return v;
    };
    for (let i = 0; i < n; i++) {
      const pfn = end + next(), nr = next();
      out[i * W] = pfn; out[i * W + 1] = nr; out[i * W + 2] = next();
      out[i * W + 3] = next(); out[i * W + 4] = next() * data.machine.page_size;
      end = pfn + nr;
    }
    runs = out; nruns = n;
  }
  const hex = v => "0x" + v.toString(16);

  /* The run holding @pfn: the last that starts at or before it. */
  function runAt(pfn) {
    let lo = 0, hi = nruns - 1;
    if (nruns === 0 || pfn < runs[0]) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (runs[mid * W] <= pfn) lo = mid; else hi = mid - 1;
    }
    return pfn < runs[lo * W] + runs[lo * W + 1] ? lo : -1;
  }

  function describe(pfn) {
    const i = runAt(pfn);
    if (i < 0) return null;
    const d = F.details[runs[i * W + 2]], first = runs[i * W];
    const lines = ["pfn " + pfn + " (" + hex(pfn) + ")  phys " + hex(pfn * data.machine.page_size),
                   "owner: " + F.owners[d.owner] + (d.zone ? "   zone: " + d.zone : "")];
    if (d.migratetype) lines.push("pageblock: " + d.migratetype);
    if (d.flags !== undefined) lines.push("flags: " + (d.flags || "(none)"));
    if (d.refcount !== undefined) lines.push("refcount: " + d.refcount + "   mapcount: " + d.mapcount);
    if (d.order) {
      const block = first + Math.floor((pfn - first) / (1 << d.order)) * (1 << d.order);
      lines.push("block: order " + d.order + " from pfn " + block);
    }
    if (d.cache) lines.push("slab cache: " + d.cache);
    if (d.kmap_slot !== undefined) lines.push("kmapped: pkmap slot " + d.kmap_slot);
    if (d.swapcache) lines.push("in the swap cache");
    const pid = runs[i * W + 3];
    if (pid) {
      const va = runs[i * W + 4] + (pfn - first) * data.machine.page_size;
      lines.push("mapped by: pid " + pid + " (" + (comm[pid] || "?") + ") at " + hex(va) +
                 (d.mapcount > 1 ? " and " + (d.mapcount - 1) + " more" : ""));
    }
    lines.push("run: " + runs[i * W + 1] + " frames from pfn " + first);
    return lines.join("\n");
  }

  function svgPoint(evt) {
    const pt = map.createSVGPoint();
    pt.x = evt.clientX; pt.y = evt.clientY;
    return pt.matrixTransform(map.getScreenCTM().inverse());
  }

  function hover(evt) {
    const p = svgPoint(evt), x = Math.floor(p.x), y = Math.floor(p.y);
    const text = x >= 0 && x < cols && y >= 0 && y < rows ? describe((y * cols + x) * scale) : null;
    if (!text) { card.style.display = "none"; return; }
    card.textContent = text;
    card.style.display = "block";
    card.style.left = Math.min(evt.clientX + 14, window.innerWidth - card.offsetWidth - 8) + "px";
    card.style.top = Math.min(evt.clientY + 14, window.innerHeight - card.offsetHeight - 8) + "px";
  }

  /* Zoom and pan: the viewBox, never smaller than one frame. */
  let vb = [0, 0, width, rows];
  const full = vb.slice();
  function setBox() { map.setAttribute("viewBox", vb.join(" ")); }
  map.addEventListener("wheel", evt => {
    evt.preventDefault();
    const p = svgPoint(evt), k = evt.deltaY < 0 ? 0.8 : 1.25;
    const w = Math.min(full[2], Math.max(1, vb[2] * k)), h = w * full[3] / full[2];
    vb = [p.x - (p.x - vb[0]) * w / vb[2], p.y - (p.y - vb[1]) * h / vb[3], w, h];
    setBox();
  }, { passive: false });
  let drag = null;
  map.addEventListener("mousedown", evt => { drag = { x: evt.clientX, y: evt.clientY, vb: vb.slice() }; });
  window.addEventListener("mouseup", () => { drag = null; });
  map.addEventListener("mousemove", evt => {
    if (drag) {
      const s = vb[2] / map.getBoundingClientRect().width;
      vb = [drag.vb[0] - (evt.clientX - drag.x) * s, drag.vb[1] - (evt.clientY - drag.y) * s, vb[2], vb[3]];
      setBox();
    }
    hover(evt);
  });
  map.addEventListener("mouseleave", () => { card.style.display = "none"; });
  document.getElementById("zoom-reset").addEventListener("click", () => { vb = full.slice(); setBox(); });
  document.getElementById("zoom-pfn").addEventListener("change", evt => {
    const pfn = Number(evt.target.value);
    if (!(pfn >= 0)) return;
    vb = [pfn % cols - 8, Math.floor(pfn / cols) - 4, 16, 16 * full[3] / full[2]];
    setBox();
  });

  /* #selftest[=PFN]: what is drawn, counted from the drawing itself. */
  async function selftest() {
    const out = { errors: errors, frames: {}, card: null, pixels: 0 };
    /* The map's pixels, by colour: each colour is an owner or a free order. */
    const img = new Image();
    img.src = document.getElementById("framemap").getAttribute("href");
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = img.width; canvas.height = img.height;
    const ctx = canvas.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const px = ctx.getImageData(0, 0, img.width, img.height).data;
    const byColour = {};
    data.palette.forEach((c, i) => { byColour[c.join(",")] = i; });
    for (let i = 0; i < px.length; i += 4) {
      const k = byColour[px[i] + "," + px[i + 1] + "," + px[i + 2]];
      const name = k === undefined ? "unknown" : k >= data.palette_free && k < 31 ? "free" :
                   k === 31 ? "none" : k === data.palette_swapcache ? "anonymous (swap cache)" :
                   F.owners[k];
      out.frames[name] = (out.frames[name] || 0) + scale;
      out.pixels++;
    }
    const want = location.hash.split("=")[1];
    if (want !== undefined) {
      /* Zoom to the frame, then hover over its middle the way a mouse would. */
      const pfn = Number(want) / scale;
      vb = [pfn % cols - 2, Math.floor(pfn / cols) - 2, 5, 5 * full[3] / full[2]];
      setBox();
      const m = map.getScreenCTM(), pt = map.createSVGPoint();
      pt.x = pfn % cols + 0.5; pt.y = Math.floor(pfn / cols) + 0.5;
      const s = pt.matrixTransform(m);
      map.dispatchEvent(new MouseEvent("mousemove", { clientX: s.x, clientY: s.y, bubbles: true }));
      out.card = card.style.display === "block" ? card.textContent : null;
    }
    out.runs = nruns;
    out.load_ms = Math.round(performance.now());
    out.panels = Array.from(document.querySelectorAll("section[id]")).map(s => s.id);
    const pre = document.getElementById("selftest");
    pre.textContent = JSON.stringify(out);
    /* Shown at the top and logged too, for browsers that are not driven (Firefox headless). */
    pre.hidden = false;
    document.body.prepend(pre);
    console.log("mmsim-selftest " + pre.textContent);
  }
  unpackRuns().then(() => {
    if (location.hash.startsWith("#selftest")) return selftest();
  }).catch(e => {
    errors.push(String(e));
    document.getElementById("selftest").textContent = JSON.stringify({ errors: errors });
  });
})();
