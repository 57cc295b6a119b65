package io.github.sockleak.junit.internal.timeline;

/**
 * The pages' style sheets, written into each page: a page must show the same on a build server's artefact
 * viewer as on a laptop without a network, so nothing is fetched, fonts included (the fonts named here are the
 * ones systems already have).
 */
final class PageStyle {

    private static final String COMMON = """
            :root { color-scheme: light; }
            body { margin: 0; background: #F6F6F3; color: #1F2328;
              font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", "DejaVu Sans", sans-serif; }
            main { max-width: 1344px; margin: 0 auto; padding: 18px 12px 28px; }
            a { color: #2F5F8F; }
            .mono { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; }
            .crumbs { margin: 0; font-size: 13px; color: #5A6270; }
            h1 { font-size: 22px; font-weight: 650; margin: 2px 0 8px; overflow-wrap: anywhere; }
            .verdict { display: inline-block; padding: 2px 10px; border-radius: 999px; font-weight: 600; font-size: 13px;
              border: 1px solid; overflow-wrap: anywhere; }
            .verdict.passed { background: #E4F2E9; color: #1D6537; border-color: #B7DAC3; }
            .verdict.failed { background: #FBEAE1; color: #9C3700; border-color: #EFC1A8; }
            .verdict.other { background: #EEF0F3; color: #464C55; border-color: #D5D9DF; }
            .card { background: #FFFFFF; border: 1px solid #E1E3E7; border-radius: 10px; margin-top: 12px;
              box-shadow: 0 1px 2px rgba(0, 0, 0, 0.04); }
            footer { margin-top: 14px; font-size: 12px; color: #6A7280; }
            """;

    static final String TIMELINE = COMMON + """
            .facts { display: flex; flex-wrap: wrap; gap: 2px 20px; margin: 10px 0 0; padding: 0; list-style: none;
              font-size: 13px; color: #555D69; }
            .facts b { color: #1F2328; font-weight: 600; }
            .note { margin: 10px 0 0; padding: 6px 10px; border-radius: 6px; font-size: 13px;
              background: #FFF6DB; border: 1px solid #E9D79C; }
            .legend { display: flex; flex-wrap: wrap; gap: 8px 34px; padding: 10px 16px; font-size: 12.5px; }
            .legend h2 { margin: 0 0 4px; font-size: 11px; letter-spacing: 0.08em; text-transform: uppercase; color: #6A7280; }
            .legend ul { margin: 0; padding: 0; list-style: none; display: grid; gap: 3px; }
            .legend li { display: flex; align-items: center; gap: 8px; }
            .legend .swatch { flex: none; }
            .legend b { font-weight: 600; }
            .legend .leak b { color: #A94800; }
            .chart { padding: 6px 4px; overflow-x: auto; }
            svg.timeline { display: block; max-width: 100%; height: auto; }
            .scale-note { margin: 6px 2px 0; font-size: 12px; color: #6A7280; }
            .canvas { fill: #FFFFFF; }
            .phase-name { font-size: 11.5px; font-weight: 600; fill: #3A4250; text-anchor: middle; }
            .tick, .axis-unit { font-size: 11px; fill: #5A6270; text-anchor: middle; }
            .axis-unit { text-anchor: start; }
            .grid { stroke: #000000; stroke-opacity: 0.07; }
            .grid.boundary { stroke-opacity: 0.2; stroke-dasharray: 3 3; }
            .section { font-size: 11px; font-weight: 700; letter-spacing: 0.08em; text-transform: uppercase; fill: #5A6270; }
            .end-heading { font-size: 11px; font-weight: 700; letter-spacing: 0.08em; text-transform: uppercase; fill: #5A6270; }
            .section-note { font-size: 12px; font-style: italic; fill: #8A909A; }
            .lane-bg { fill: transparent; }
            .sockets > .lane:nth-child(even) > .lane-bg { fill: rgba(0, 0, 0, 0.028); }
            .lane:hover > .lane-bg { fill: rgba(68, 119, 170, 0.13); }
            .label { font: 11.5px ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; fill: #2A2F36; }
            .label-note { font-size: 11px; fill: #6A7280; }
            .span-label { font-size: 10.5px; font-weight: 600; letter-spacing: 0.02em; pointer-events: none; }
            .end { font-size: 12px; fill: #6A7280; }
            .end.open { fill: #2A2F36; }
            .end.leak { fill: #A94800; font-weight: 700; }
            .baseline { stroke: #9AA1AB; }
            .gridline { stroke: #000000; stroke-opacity: 0.1; stroke-dasharray: 2 3; }
            .y-tick { font-size: 10px; fill: #8A909A; text-anchor: end; }
            .depth { fill: none; stroke: #332288; stroke-width: 2; }
            .depth-area { fill: #332288; fill-opacity: 0.14; }
            .ghosts { fill: none; stroke: #882255; stroke-width: 2.5; stroke-dasharray: 0.5 4.5; stroke-linecap: round; }
            .backlog { fill: none; stroke: #5F6670; stroke-width: 1.5; stroke-dasharray: 7 4; }
            .backlog-label { font-size: 10.5px; fill: #5F6670; }
            .hover { fill: transparent; }
            .hover:hover { fill: rgba(51, 34, 136, 0.07); }
            """;

    static final String INDEX = COMMON + """
            .summary { margin: 4px 0 0; color: #555D69; }
            table { width: 100%; border-collapse: collapse; font-size: 13.5px; }
            th, td { text-align: left; padding: 6px 14px; border-bottom: 1px solid #ECEDF0; vertical-align: top; }
            thead th { font-size: 11px; letter-spacing: 0.08em; text-transform: uppercase; color: #6A7280; }
            tr.class th { background: #F3F4F6; font-weight: 600; font-size: 13px; }
            td.recorded { color: #6A7280; white-space: nowrap; }
            """;

    private PageStyle() {
    }
}
