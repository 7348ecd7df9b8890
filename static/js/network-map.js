// The network map (evaluation/templates/evaluation/network.html): sigma.js 3 draws, with WebGL, the graph the
// server computed, at the positions the server computed (no layout and no worker here, so the strict
// Content-Security-Policy needs neither `blob:` nor inline code). The side panel and the list's buttons work even
// when WebGL is missing: the list under the map is the keyboard and screen-reader way to the same data.
(() => {
  "use strict";

  // One colour per sector, each at least 4.5:1 on white, distinct for the common colour-vision deficiencies as
  // far as ten colours allow; the legend names them, so colour is never the only cue.
  const PALETTE = {
    community: "#0b5394",
    public: "#a4161a",
    municipal: "#1e6b34",
    education: "#8a4b00",
    private: "#6a3d9a",
    social_economy: "#00695c",
    philanthropy: "#ad1457",
    government: "#1b1f24",
    citizen_group: "#66661a",
    other: "#5f6b76",
  };
  const FALLBACK_COLOUR = "#5f6b76";
  const MUTED_NODE = "#d5dbe1";
  const EDGE_COLOUR = "#a9b4bf";
  const EDGE_HIGHLIGHT = "#1b1f24";
  const NODE_SIZE = { min: 3, max: 14 };
  const EDGE_SIZE = { min: 0.5, max: 4 };
  const STRONGEST_TIES = 5;

  function webglAvailable() {
    try {
      const canvas = document.createElement("canvas");
      return Boolean(window.WebGLRenderingContext && (canvas.getContext("webgl2") || canvas.getContext("webgl")));
    } catch (error) {
      return false;
    }
  }

  function scale(value, max, bounds) {
    if (!max || !(value > 0)) return bounds.min;
    return bounds.min + (bounds.max - bounds.min) * Math.sqrt(value / max);
  }

  function init() {
    const container = document.getElementById("network-map");
    const source = document.getElementById("network-data");
    if (!container || !source) return;
    const data = JSON.parse(source.textContent);
    const nodes = data.nodes || [];
    const edges = data.edges || [];
    const byId = new Map(nodes.map((node) => [String(node.id), node]));
    const chosenSector = container.dataset.sector || "";
    const lang = document.documentElement.lang || "fr-CA";
    const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 3 });

    // Ties of each organisation, strongest first (the panel lists them).
    const ties = new Map();
    for (const edge of edges) {
      const source = String(edge.source);
      const target = String(edge.target);
      if (!ties.has(source)) ties.set(source, []);
      if (!ties.has(target)) ties.set(target, []);
      ties.get(source).push({ other: target, weight: edge.weight });
      ties.get(target).push({ other: source, weight: edge.weight });
    }
    for (const list of ties.values()) {
      list.sort((a, b) => b.weight - a.weight || byId.get(a.other).name.localeCompare(byId.get(b.other).name, lang));
    }

    const legend = document.getElementById("network-legend");
    const sectorLabels = new Map();
    if (legend) {
      for (const item of legend.querySelectorAll("li[data-sector]")) {
        sectorLabels.set(item.dataset.sector, item.textContent.trim());
      }
    }

    let selected = null;
    let renderer = null;
    const panel = setUpPanel();
    setUpList();
    setUpSectorSelect();
    renderer = drawMap();

    function colourOf(sector) {
      return PALETTE[sector] || FALLBACK_COLOUR;
    }

    function drawMap() {
      if (!window.graphology || !window.Sigma || !webglAvailable()) return giveUp();
      const graph = new window.graphology.UndirectedGraph();
      // A loop, not Math.max(...list): a province network has more ties than a call may take arguments.
      const maxStrength = nodes.reduce((max, node) => Math.max(max, node.weighted_degree || 0), 0);
      const maxWeight = edges.reduce((max, edge) => Math.max(max, edge.weight || 0), 0);
      for (const node of nodes) {
        graph.addNode(String(node.id), {
          x: Number(node.x) || 0,
          y: Number(node.y) || 0,
          label: node.name,
          sector: node.sector,
          color: colourOf(node.sector),
          size: scale(node.weighted_degree, maxStrength, NODE_SIZE),
        });
      }
      for (const edge of edges) {
        const source = String(edge.source);
        const target = String(edge.target);
        if (source === target || !graph.hasNode(source) || !graph.hasNode(target) || graph.hasEdge(source, target)) {
          continue;
        }
        graph.addEdge(source, target, { weight: edge.weight, size: scale(edge.weight, maxWeight, EDGE_SIZE) });
      }
      container.replaceChildren();
      let sigma;
      try {
        sigma = new window.Sigma(graph, container, {
          defaultEdgeColor: EDGE_COLOUR,
          labelColor: { color: "#1b1f24" },
          labelFont: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
          // Labels only for the bigger organisations, and fewer per screen area: names overlapped on a phone.
          labelRenderedSizeThreshold: 10,
          labelDensity: 0.5,
          labelGridCellSize: 120,
          zIndex: true,
          nodeReducer: (key, attributes) => {
            const shown = { ...attributes };
            if (chosenSector && attributes.sector !== chosenSector) {
              shown.color = MUTED_NODE;
              shown.label = null;
              shown.zIndex = 0;
            } else {
              shown.zIndex = 1;
            }
            if (key === selected) {
              shown.highlighted = true;
              shown.zIndex = 2;
            }
            return shown;
          },
          edgeReducer: (key, attributes) => {
            const shown = { ...attributes };
            const [source, target] = graph.extremities(key);
            if (selected && (source === selected || target === selected)) {
              shown.color = EDGE_HIGHLIGHT;
              shown.zIndex = 1;
            } else if (
              chosenSector &&
              graph.getNodeAttribute(source, "sector") !== chosenSector &&
              graph.getNodeAttribute(target, "sector") !== chosenSector
            ) {
              shown.hidden = true;
            }
            return shown;
          },
        });
      } catch (error) {
        return giveUp();
      }
      container.setAttribute("role", "img");
      container.setAttribute("aria-label", container.dataset.label || "");
      container.classList.add("is-drawn");
      sigma.on("clickNode", ({ node }) => openPanel(node, null));
      sigma.on("clickStage", () => closePanel(false));
      sigma.on("enterNode", () => container.classList.add("is-pointing"));
      sigma.on("leaveNode", () => container.classList.remove("is-pointing"));
      showLegend(graph);
      setUpPng(sigma);
      return sigma;
    }

    function giveUp() {
      const message = document.createElement("p");
      message.className = "network-map-message";
      message.textContent = container.dataset.noWebgl || "";
      container.replaceChildren(message);
      container.classList.add("is-unavailable");
      return null;
    }

    function showLegend(graph) {
      if (!legend) return;
      const present = new Set();
      graph.forEachNode((key, attributes) => present.add(attributes.sector));
      for (const item of legend.querySelectorAll("li[data-sector]")) {
        const sector = item.dataset.sector;
        item.hidden = !present.has(sector);
        const swatch = item.querySelector(".network-swatch");
        if (swatch) swatch.style.backgroundColor = colourOf(sector); // CSSOM: allowed by the CSP
        item.classList.toggle("is-muted", Boolean(chosenSector) && sector !== chosenSector);
      }
      legend.hidden = false;
    }

    function setUpPng(sigma) {
      const button = document.getElementById("network-png");
      if (!button) return;
      button.hidden = false;
      button.addEventListener("click", () => {
        // WebGL clears its drawing buffer once the frame is shown: render now, and copy the layers in this same
        // task, under one white background, in the order sigma stacks them.
        sigma.refresh();
        const layers = Array.from(container.querySelectorAll("canvas"));
        if (!layers.length) return;
        const out = document.createElement("canvas");
        out.width = layers[0].width;
        out.height = layers[0].height;
        const context = out.getContext("2d");
        context.fillStyle = "#ffffff";
        context.fillRect(0, 0, out.width, out.height);
        for (const layer of layers) {
          if (layer.width && layer.height) context.drawImage(layer, 0, 0, out.width, out.height);
        }
        const link = document.createElement("a");
        link.download = `${container.dataset.filename || "network"}.png`;
        link.href = out.toDataURL("image/png");
        link.hidden = true;
        document.body.append(link);
        link.click();
        link.remove();
      });
    }

    function setUpList() {
      // The names of the list become buttons that open the panel: only when this script runs, so that without it
      // the list is plain text rather than buttons that do nothing.
      for (const cell of document.querySelectorAll("th[data-node]")) {
        if (!byId.has(cell.dataset.node)) continue;
        const button = document.createElement("button");
        button.type = "button";
        button.className = "linklike";
        button.dataset.node = cell.dataset.node;
        button.setAttribute("aria-controls", "network-panel");
        button.textContent = cell.textContent.trim();
        cell.replaceChildren(button);
        button.addEventListener("click", () => openPanel(button.dataset.node, button));
      }
    }

    function setUpSectorSelect() {
      const select = document.getElementById("id_sector");
      const hint = document.getElementById("sector-hint");
      if (!select || !select.form) return;
      if (hint) {
        hint.hidden = false;
        select.setAttribute("aria-describedby", hint.id);
      }
      select.addEventListener("change", () => select.form.requestSubmit());
    }

    function setUpPanel() {
      const aside = document.getElementById("network-panel");
      if (!aside) return null;
      aside.hidden = false;
      const title = aside.querySelector("#network-panel-title");
      const hint = aside.querySelector("[data-panel=hint]");
      const body = aside.querySelector("[data-panel=body]");
      const field = (name) => aside.querySelector(`[data-field="${name}"]`);
      const state = { aside, title, hint, body, field, opener: null };
      aside.querySelector("[data-panel=close]").addEventListener("click", () => closePanel(true));
      aside.addEventListener("click", (event) => {
        const button = event.target.closest("button[data-node]");
        if (button) openPanel(button.dataset.node, button, true);
      });
      document.addEventListener("keydown", (event) => {
        if (event.key === "Escape" && selected !== null) {
          event.preventDefault();
          closePanel(true);
        }
      });
      return state;
    }

    function openPanel(key, opener, fromPanel = false) {
      const node = byId.get(String(key));
      if (!panel || !node) return;
      selected = String(key);
      if (!fromPanel) panel.opener = opener;
      panel.title.textContent = node.name;
      panel.field("sector").textContent = sectorLabels.get(node.sector) || node.sector;
      const figure = (value) => (value === null || value === undefined ? "—" : number.format(value));
      for (const name of ["degree", "weighted_degree", "betweenness", "closeness", "coreness"]) {
        panel.field(name).textContent = figure(node[name]);
      }
      // Communities are numbered from 1 on the page, as in the list.
      panel.field("community").textContent = figure(typeof node.community === "number" ? node.community : null);
      panel.field("role").textContent = node.broker
        ? panel.aside.dataset.broker
        : node.isolate
          ? panel.aside.dataset.isolated
          : "—";
      const list = panel.field("ties");
      const strongest = (ties.get(selected) || []).slice(0, STRONGEST_TIES);
      list.replaceChildren(
        ...strongest.map((tie) => {
          const item = document.createElement("li");
          const button = document.createElement("button");
          button.type = "button";
          button.className = "linklike";
          button.dataset.node = tie.other;
          button.textContent = byId.get(tie.other).name;
          const weight = document.createElement("span");
          weight.className = "muted";
          weight.textContent = ` (${panel.aside.dataset.strength} ${number.format(tie.weight)})`;
          item.append(button, weight);
          return item;
        }),
      );
      list.hidden = strongest.length === 0;
      panel.field("no-ties").hidden = strongest.length > 0;
      panel.hint.hidden = true;
      panel.body.hidden = false;
      panel.aside.classList.add("is-open");
      if (renderer) renderer.refresh();
      // From the keyboard (the list, a tie in the panel), go to the panel; a click on the map leaves focus alone
      // and the live region announces the organisation.
      if (opener) {
        panel.title.focus({ preventScroll: true });
        panel.aside.scrollIntoView({ block: "nearest" });
      }
    }

    function closePanel(restoreFocus) {
      if (!panel || selected === null) return;
      selected = null;
      panel.title.textContent = panel.title.dataset.hintTitle || "";
      panel.body.hidden = true;
      panel.hint.hidden = false;
      panel.aside.classList.remove("is-open");
      if (renderer) renderer.refresh();
      const opener = panel.opener;
      panel.opener = null;
      if (restoreFocus && opener && document.contains(opener)) opener.focus();
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
