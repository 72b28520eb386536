// Dev-only oracle: what does Mermaid's own parser make of a diagram?
//
// Usage:
//   node oracle.mjs < sources.json        # JSON list of diagram sources -> JSON list of results
//   node oracle.mjs a.mmd b.mmd           # one result per file
//
// Each result is {ok: true, type, ...db} when `mermaid.parse` accepts the source, else
// {ok: false, error}. The db part is read raw from the diagram's parser database (labels
// exactly as Mermaid stores them, entity placeholders and <br> included); compare.py
// normalises them in one place. Mermaid runs under jsdom so DOMPurify behaves as in a browser.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>", { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;
globalThis.Element = dom.window.Element;
globalThis.HTMLElement = dom.window.HTMLElement;
globalThis.SVGElement = dom.window.SVGElement;
globalThis.Node = dom.window.Node;
globalThis.NodeFilter = dom.window.NodeFilter;
globalThis.DocumentFragment = dom.window.DocumentFragment;
globalThis.Option = dom.window.Option; // sequence `box` colours are checked with `new Option().style`

const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, logLevel: "fatal" });

const mapValues = (m) => (m instanceof Map ? [...m.values()] : Object.values(m ?? {}));

function flowchart(db) {
  return {
    direction: db.getDirection?.() ?? null,
    vertices: mapValues(db.getVertices()).map((v) => ({
      id: v.id,
      text: v.text ?? null,
      type: v.type ?? null,
      labelType: v.labelType ?? null,
    })),
    edges: db.getEdges().map((e) => ({
      start: e.start,
      end: e.end,
      text: e.text ?? "",
      type: e.type ?? null,
      stroke: e.stroke ?? null,
      length: e.length ?? null,
      id: e.isUserDefinedId ? e.id : null,
      labelType: e.labelType ?? null,
    })),
    subgraphs: db.getSubGraphs().map((s) => ({
      id: s.id,
      title: s.title,
      nodes: [...s.nodes],
      dir: s.dir ?? null,
    })),
  };
}

function sequence(db) {
  return {
    actors: mapValues(db.getActors()).map((a) => ({
      id: a.name,
      description: a.description ?? null,
      type: a.type ?? null,
    })),
    messages: db.getMessages().map((m) => ({
      from: m.from ?? null,
      to: m.to ?? null,
      message: typeof m.message === "string" ? m.message : JSON.stringify(m.message ?? null),
      type: m.type ?? null,
      placement: m.placement ?? null,
    })),
  };
}

function state(db) {
  // The state db keeps the parsed statements in a tree; walk it the way Mermaid's own
  // extract() does, but keep what we compare: states, their descriptions and parents,
  // and the transitions with labels.
  const states = [];
  const relations = [];
  const seen = new Map();
  const addState = (s, parent) => {
    let entry = seen.get(s.id);
    if (!entry) {
      entry = { id: s.id, type: s.type ?? "default", descriptions: [], parent };
      seen.set(s.id, entry);
      states.push(entry);
    }
    // `state "d" as s1:more` stores [d, more] as one description: flatten, as addState does.
    for (const d of [s.description, ...(s.descriptions ?? [])].flat()) if (d) entry.descriptions.push(d);
    if (s.type && s.type !== "default") entry.type = s.type;
    if (s.start !== undefined) entry.type = s.start ? "start" : "end"; // a `[*]` pseudo-state
    if (s.doc) walk(s.doc, s.id);
  };
  const walk = (doc, parent) => {
    for (const st of doc ?? []) {
      if (st.stmt === "state" || st.stmt === "default") addState(st, parent);
      else if (st.stmt === "relation") {
        addState(st.state1, parent);
        addState(st.state2, parent);
        relations.push({ from: st.state1.id, to: st.state2.id, description: st.description ?? "" });
      }
    }
  };
  const root = db.getRootDocV2?.() ?? db.getRootDoc?.();
  walk(root?.doc ?? root, null);
  return { states, relations };
}

function mindmap(db) {
  const nodes = [];
  const visit = (n, parent, depth) => {
    nodes.push({ id: n.nodeId, descr: n.descr, type: n.type, parent, depth });
    for (const c of n.children ?? []) visit(c, n.nodeId, depth + 1);
  };
  const root = db.getMindmap();
  if (root) visit(root, null, 0);
  return { nodes };
}

const readers = { "flowchart-v2": flowchart, flowchart, "flowchart-elk": flowchart, sequence, stateDiagram: state, state, mindmap };

async function run(text) {
  try {
    await mermaid.parse(text);
  } catch (e) {
    return { ok: false, error: String(e?.message ?? e).slice(0, 400) };
  }
  try {
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const read = readers[diagram.type];
    return { ok: true, type: diagram.type, ...(read ? read(diagram.db) : {}) };
  } catch (e) {
    return { ok: true, type: null, readError: String(e?.message ?? e).slice(0, 400) };
  }
}

const args = process.argv.slice(2);
const sources = args.length ? args.map((p) => readFileSync(p, "utf8")) : JSON.parse(readFileSync(0, "utf8"));
const results = [];
for (const s of sources) results.push(await run(s));
process.stdout.write(JSON.stringify(results) + "\n");
