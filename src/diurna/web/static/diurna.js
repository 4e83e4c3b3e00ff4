/* diurna dashboard script. Data comes from data-* attributes and the JSON API; text is only ever
   written with textContent (never innerHTML), so nothing from the store can become markup. */
"use strict";

const TYPE_COLORS = {
  AGREE: "#1b9e77", CONSULT: "#66c2a5", SUPPORT: "#2ca25f", CONCEDE: "#99d8c9", COOPERATE: "#238b45",
  AID: "#41ab5d", RETREAT: "#a1d99b", REQUEST: "#6baed6", ACCUSE: "#fdae6b", REJECT: "#fd8d3c",
  THREATEN: "#e6550d", PROTEST: "#f768a1", SANCTION: "#9e9ac8", MOBILIZE: "#756bb1", COERCE: "#de2d26",
  ASSAULT: "#a50f15",
};
const PLOT_CONFIG = { responsive: true, displaylogo: false };

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

function setStatus(id, text) {
  const node = document.getElementById(id);
  if (node) node.textContent = text;
}

async function getJSON(url) {
  const res = await fetch(url, { headers: { Accept: "application/json" } });
  if (!res.ok) throw new Error(res.status + " " + res.statusText);
  return res.json();
}

function names(refs) {
  return (refs || []).map((r) => r.entity_name + (r.country_code ? " (" + r.country_code + ")" : "")).join(", ");
}

/* ------------------------------------------------------------------ events page */
function eventsPage() {
  const form = document.getElementById("filters");
  if (!form) return;
  form.addEventListener("change", (e) => {
    const t = e.target;
    if (t.tagName === "SELECT" || t.type === "checkbox" || t.type === "date") form.requestSubmit();
  });
}

/* ------------------------------------------------------------------ article page */
function articlePage() {
  const text = document.getElementById("article-text");
  if (!text) return;
  function activate(target, scroll) {
    document.querySelectorAll(".hl.active, .rec.active").forEach((n) => n.classList.remove("active"));
    if (!target) return;
    const spans = text.querySelectorAll('[data-ann="' + CSS.escape(target) + '"]');
    spans.forEach((n) => n.classList.add("active"));
    document.querySelectorAll('.rec[data-target="' + CSS.escape(target) + '"]').forEach((n) => n.classList.add("active"));
    if (scroll && spans.length) spans[0].scrollIntoView({ block: "center", behavior: "smooth" });
  }
  document.querySelectorAll(".rec[data-target]").forEach((li) => {
    li.addEventListener("click", (e) => {
      if (e.target.closest("a")) return;
      activate(li.dataset.target, true);
    });
  });
  text.addEventListener("click", (e) => {
    const span = e.target.closest(".hl");
    if (span) activate(span.dataset.ann, false);
  });
  if (location.hash.length > 1) activate(decodeURIComponent(location.hash.slice(1)), true);
}

/* ------------------------------------------------------------------ dyad page */
function fillEvents(tbody, items) {
  tbody.replaceChildren();
  if (!items.length) {
    const tr = el("tr");
    tr.appendChild(el("td", "No events.", { colspan: "8", class: "muted" }));
    tbody.appendChild(tr);
    return;
  }
  for (const e of items) {
    const tr = el("tr", null, { class: "ev-row quad-" + (e.quad || "none") });
    tr.appendChild(el("td", e.date || ""));
    const type = el("td");
    type.appendChild(el("span", e.event_type, { class: "type" }));
    tr.appendChild(type);
    tr.appendChild(el("td", names(e.actor), { dir: "auto" }));
    tr.appendChild(el("td", names(e.recipient), { dir: "auto" }));
    tr.appendChild(el("td", (e.quad || "").replace("_", " ")));
    tr.appendChild(el("td", e.goldstein === null ? "" : e.goldstein, { class: "num" }));
    tr.appendChild(el("td", e.trigger, { dir: "auto", title: e.evidence.sentence }));
    const link = el("td");
    link.appendChild(el("a", "open", { href: "/articles/" + encodeURIComponent(e.article_id) + "#ev-" + encodeURIComponent(e.id) }));
    tr.appendChild(link);
    tbody.appendChild(tr);
  }
}

async function periodEvents(a, b, bucket) {
  const ask = (x, y) => {
    const p = new URLSearchParams({ actor_country: x, recipient_country: y, since: bucket.start, until: bucket.end, limit: "200" });
    return getJSON("/api/v1/events?" + p.toString()).then((page) => page.items);
  };
  const lists = await Promise.all(a === b ? [ask(a, b)] : [ask(a, b), ask(b, a)]);
  const seen = new Set();
  const items = [];
  for (const e of lists.flat()) if (!seen.has(e.id)) { seen.add(e.id); items.push(e); }
  items.sort((p, q) => (p.date || "").localeCompare(q.date || ""));
  return items;
}

async function dyadPage() {
  const box = document.getElementById("dyad");
  if (!box) return;
  const { a, b, interval } = box.dataset;
  const url = "/api/v1/dyads/" + encodeURIComponent(a) + "/" + encodeURIComponent(b) + "/timeline?interval=" + encodeURIComponent(interval);
  let data;
  try { data = await getJSON(url); } catch (err) { setStatus("dyad-status", "Could not load the timeline: " + err.message); return; }
  const buckets = data.buckets;
  if (!buckets.length) { setStatus("dyad-status", "No dated events between " + a + " and " + b + "."); return; }
  const x = buckets.map((k) => k.start);
  const sum = (k, keys) => keys.reduce((s, q) => s + (k.by_quad[q] || 0), 0);
  const quadTraces = [
    { name: "cooperation", x, y: buckets.map((k) => sum(k, ["verbal_cooperation", "material_cooperation"])), type: "scatter", mode: "lines+markers", line: { color: "#16a34a" } },
    { name: "conflict", x, y: buckets.map((k) => sum(k, ["verbal_conflict", "material_conflict"])), type: "scatter", mode: "lines+markers", line: { color: "#dc2626" } },
    { name: "mean Goldstein", x, y: buckets.map((k) => k.goldstein_mean), type: "scatter", mode: "lines", yaxis: "y2", line: { color: "#475569", dash: "dot" } },
  ];
  const used = Object.keys(TYPE_COLORS).filter((t) => buckets.some((k) => k.by_type[t]));
  const typeTraces = used.map((t) => ({ name: t, x, y: buckets.map((k) => k.by_type[t] || 0), type: "bar", marker: { color: TYPE_COLORS[t] } }));
  const common = { margin: { t: 20, r: 60, b: 50, l: 50 }, legend: { orientation: "h" }, hovermode: "x unified" };
  const quads = document.getElementById("dyad-quads");
  const types = document.getElementById("dyad-types");
  await Plotly.newPlot(quads, quadTraces, { ...common, yaxis: { title: { text: "events" }, rangemode: "tozero" }, yaxis2: { title: { text: "Goldstein" }, overlaying: "y", side: "right", range: [-10, 10] } }, PLOT_CONFIG);
  await Plotly.newPlot(types, typeTraces, { ...common, barmode: "stack", yaxis: { title: { text: "events" } } }, PLOT_CONFIG);
  const tbody = document.querySelector("#period-events tbody");
  const show = async (pointIndex) => {
    const bucket = buckets[pointIndex];
    setStatus("period-title", "Events in " + bucket.period);
    try { fillEvents(tbody, await periodEvents(a, b, bucket)); } catch (err) { setStatus("dyad-status", "Could not load events: " + err.message); }
  };
  for (const plot of [quads, types]) plot.on("plotly_click", (ev) => { if (ev.points.length) show(ev.points[0].pointIndex); });
  show(buckets.length - 1);
}

/* ------------------------------------------------------------------ map page */
/* Country outlines from the shipped /static/world.geojson (Natural Earth 1:110m, see NOTICE.md),
   drawn as one filled line trace on the lon/lat axes: no tiles, no CDN topojson. */
function outlineTrace(world) {
  const x = [], y = [], names = [];
  for (const f of world.features) {
    const g = f.geometry;
    const polygons = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
    for (const poly of polygons) {
      for (const ring of poly) {
        for (const [lon, lat] of ring) { x.push(lon); y.push(lat); names.push(f.properties.name + " (" + f.id + ")"); }
        x.push(null); y.push(null); names.push(null);
      }
    }
  }
  return {
    name: "countries", type: "scatter", mode: "lines", x, y, text: names, hoverinfo: "skip", showlegend: false,
    fill: "toself", fillcolor: "#f8fafc", line: { color: "#94a3b8", width: 0.7 }, connectgaps: false,
    meta: "country-outlines",
  };
}

async function mapPage() {
  const box = document.getElementById("map");
  if (!box || !box.dataset.url) return;
  let data, world = null;
  const worldRequest = box.dataset.world ? getJSON(box.dataset.world).catch(() => null) : Promise.resolve(null);
  try { data = await getJSON(box.dataset.url); } catch (err) { setStatus("map-status", "Could not load events: " + err.message); return; }
  world = await worldRequest;
  const byType = {};
  for (const f of data.features) (byType[f.properties.event_type] = byType[f.properties.event_type] || []).push(f);
  const traces = Object.keys(TYPE_COLORS).filter((t) => byType[t]).map((t) => ({
    name: t, type: "scatter", mode: "markers",
    x: byType[t].map((f) => f.geometry.coordinates[0]), y: byType[t].map((f) => f.geometry.coordinates[1]),
    text: byType[t].map((f) => [f.properties.date || "undated", t, f.properties.place, f.properties.actor + " → " + f.properties.recipient].join(" · ")),
    customdata: byType[t].map((f) => f.properties.article_id),
    hoverinfo: "text", marker: { color: TYPE_COLORS[t], size: 10, opacity: 0.8, line: { width: 1, color: "#fff" } },
  }));
  const grid = { range: [-180, 180], dtick: 30, constrain: "domain", zeroline: false, gridcolor: "#e2e8f0", title: { text: "longitude" } };
  const layout = {
    margin: { t: 10, r: 10, b: 40, l: 50 }, plot_bgcolor: "#eef6fb", legend: { orientation: "h" },
    xaxis: grid, yaxis: { ...grid, range: [-90, 90], scaleanchor: "x", title: { text: "latitude" } },
  };
  if (world) traces.unshift(outlineTrace(world));
  await Plotly.newPlot(box, traces, layout, PLOT_CONFIG);
  box.on("plotly_click", (ev) => {
    const p = ev.points.find((q) => q.customdata);
    if (p) location.href = "/articles/" + encodeURIComponent(p.customdata);
  });
  if (world) box.dataset.countries = String(world.features.length);
  setStatus("map-status", data.features.length + " located events shown" + (world ? "." : " (country outlines unavailable)."));
}

document.addEventListener("DOMContentLoaded", () => {
  const page = document.body.dataset.page;
  if (page === "events") eventsPage();
  if (page === "article") articlePage();
  if (page === "dyad") dyadPage();
  if (page === "map") { eventsPage(); mapPage(); }
});
